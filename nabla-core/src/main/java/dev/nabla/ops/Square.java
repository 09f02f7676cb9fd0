package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise square. */
public final class Square extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Square().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = v * v;
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            gradIn[i] = g[i] * (2f * v);
        }
    }
}
