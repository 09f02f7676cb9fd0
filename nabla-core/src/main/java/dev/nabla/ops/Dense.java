package dev.nabla.ops;

import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.StridedCopy;
import dev.nabla.tensor.Tensor;

/** A contiguous tensor's backing array and where its elements start, for loops in op implementations. */
record Dense(float[] data, int offset, int size) {

    /** The tensor's own array where it is contiguous, else a copy ({@link #copy}). */
    static Dense of(Tensor t) {
        if (t.isContiguous()) return new Dense(t.data(), t.offset(), t.size());
        return new Dense(copy(t), 0, t.size());
    }

    /**
     * The tensor's elements in row-major order in an array that starts at index 0: its own array when it is
     * contiguous from offset 0, else a copy ({@link #copy}). Loops indexed by the loop variable alone vectorise; see
     * {@link UnaryOp}.
     */
    static float[] zeroOffset(Tensor t) {
        return t.offset() == 0 && t.isContiguous() ? t.data() : copy(t);
    }

    /**
     * The elements in row-major order in a new array, inside a training step one of the step's own
     * ({@link StepArena}): an op's copy of an input lives no longer than the op's output or saved state, which the
     * step releases alike (a transposed or broadcast operand each layer, about 1 MB a step of the vit benchmark).
     */
    static float[] copy(Tensor t) {
        float[] d = StepArena.floats(t.size());
        StridedCopy.copy(t, d, 0);
        return d;
    }

    /** Elements per thread below which elementwise loops stay on the calling thread. */
    static final int GRAIN = 1 << 15;
}
