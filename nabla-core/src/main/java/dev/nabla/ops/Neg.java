package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise negation. */
public final class Neg extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Neg().run(x);
    }

    @Override
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = -v;
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[go + i] * (-1f);
        }
    }
}
