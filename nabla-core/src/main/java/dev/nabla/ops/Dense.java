package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** A contiguous tensor's backing array and where its elements start, for loops in op implementations. */
record Dense(float[] data, int offset, int size) {

    static Dense of(Tensor t) {
        Tensor c = t.materialize(false);
        return new Dense(c.data(), c.offset(), c.size());
    }

    /**
     * The tensor's elements in row-major order in an array that starts at index 0: its own array when it is
     * contiguous from offset 0, else a copy. Loops indexed by the loop variable alone vectorise; see {@link UnaryOp}.
     */
    static float[] zeroOffset(Tensor t) {
        return t.offset() == 0 && t.isContiguous() ? t.data() : t.toArray();
    }

    /** Elements per thread below which elementwise loops stay on the calling thread. */
    static final int GRAIN = 1 << 15;
}
