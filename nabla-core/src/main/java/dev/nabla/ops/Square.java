package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise square. */
public final class Square extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Square().run(x);
    }

    @Override
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = v * v;
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            gradIn[i] = g[go + i] * (2f * v);
        }
    }
}
