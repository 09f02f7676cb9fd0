package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** {@code x * tanh(softplus(x))}, PyTorch's {@code mish}. */
public final class Mish extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Mish().run(x);
    }

    /** {@code tanh(log(1 + exp(v)))} without overflow: {@code ((1+e)^2 - 1) / ((1+e)^2 + 1)} with {@code e = exp(v)}. */
    static double tanhSoftplus(double v) {
        if (v > 20) return 1.0; // within double rounding of 1, and exp(v)^2 would overflow further up
        double e = Math.exp(v);
        double n = e * (e + 2);
        return n / (n + 2);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            double v = x[i];
            out[i] = (float) (v * tanhSoftplus(v));
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        // d/dx x t(x) = t + x sigmoid(x) (1 - t^2), t = tanh(softplus(x)), as PyTorch computes it
        for (int i = start; i < end; i++) {
            double v = x[i];
            double t = tanhSoftplus(v);
            double s = 1.0 / (1.0 + Math.exp(-v));
            gradIn[i] = (float) (g[i] * (t + v * s * (1 - t * t)));
        }
    }
}
