package dev.nabla.autograd;

import dev.nabla.tensor.Tensor;

/** Sums gradients that reach the same tensor along several paths (for the engine and {@link Tensor#accumulateGrad}). */
public final class Accumulate {

    private Accumulate() {
    }

    /** {@code sum += grad}, where {@code sum} is a contiguous buffer no one else holds and both have one shape. */
    public static void addInPlace(Tensor sum, Tensor grad) {
        Tensor g = grad.contiguous();
        float[] s = sum.data();
        float[] d = g.data();
        int so = sum.offset();
        int go = g.offset();
        int n = sum.size();
        for (int i = 0; i < n; i++) s[so + i] += d[go + i];
    }
}
