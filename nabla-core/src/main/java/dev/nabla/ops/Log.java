package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise natural logarithm. */
public final class Log extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Log().run(x);
    }

    @Override
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = (float) Math.log(v);
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[go + i] * (1f / x[xo + i]);
        }
    }
}
