package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise square root. */
public final class Sqrt extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Sqrt().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = (float) Math.sqrt(v);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[i] * (0.5f / y[i]);
        }
    }
}
