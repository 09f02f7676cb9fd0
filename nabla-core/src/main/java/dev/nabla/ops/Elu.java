package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Exponential linear unit: {@code x} for positive inputs, {@code alpha * (exp(x) - 1)} otherwise. */
public final class Elu extends UnaryOp {

    private final float alpha;

    private Elu(float alpha) {
        this.alpha = alpha;
    }

    public static Tensor apply(Tensor x, float alpha) {
        return new Elu(alpha).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = v > 0f ? v : alpha * (float) Math.expm1(v);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        // for x <= 0 the derivative alpha * exp(x) equals y + alpha
        for (int i = start; i < end; i++) gradIn[i] = x[i] > 0f ? g[i] : g[i] * (y[i] + alpha);
    }
}
