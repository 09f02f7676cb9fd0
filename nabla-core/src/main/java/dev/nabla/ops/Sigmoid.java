package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Logistic sigmoid {@code 1 / (1 + exp(-x))}. */
public final class Sigmoid extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Sigmoid().run(x);
    }

    @Override
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[go + i] * (y[i] * (1f - y[i]));
        }
    }
}
