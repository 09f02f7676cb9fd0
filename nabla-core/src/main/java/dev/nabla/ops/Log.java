package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise natural logarithm. */
public final class Log extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Log().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = (float) Math.log(v);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            gradIn[i] = g[i] * (1f / x[i]);
        }
    }
}
