package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Logistic sigmoid {@code 1 / (1 + exp(-x))}. */
public final class Sigmoid extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Sigmoid().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[i] * (y[i] * (1f - y[i]));
        }
    }
}
