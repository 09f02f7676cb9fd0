package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** A contiguous tensor's backing array and where its elements start, for loops in op implementations. */
record Dense(float[] data, int offset, int size) {

    static Dense of(Tensor t) {
        Tensor c = t.materialize(false);
        return new Dense(c.data(), c.offset(), c.size());
    }

    /** Elements per thread below which elementwise loops stay on the calling thread. */
    static final int GRAIN = 1 << 15;
}
