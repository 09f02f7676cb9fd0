package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Rectified linear unit, {@code max(x, 0)}; its gradient at 0 is 0, as in PyTorch. */
public final class Relu extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Relu().run(x);
    }

    @Override
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = v > 0f ? v : 0f;
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[go + i] * (x[xo + i] > 0f ? 1f : 0f);
        }
    }
}
