package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise absolute value; its gradient at 0 is 0, as in PyTorch. */
public final class Abs extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Abs().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = Math.abs(v);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[i] * (Math.signum(x[i]));
        }
    }
}
