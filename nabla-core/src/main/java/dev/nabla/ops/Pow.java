package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Each element raised to a constant exponent. */
public final class Pow extends UnaryOp {

    private final float exponent;

    private Pow(float exponent) {
        this.exponent = exponent;
    }

    public static Tensor apply(Tensor x, float exponent) {
        return new Pow(exponent).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        double p = exponent;
        for (int i = start; i < end; i++) out[i] = (float) Math.pow(x[i], p);
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        double p = exponent;
        for (int i = start; i < end; i++) {
            // p * x^(p-1); written out so that x = 0 with p = 1 gives 1, not 0 * inf
            gradIn[i] = p == 0 ? 0f : g[i] * (float) (p * Math.pow(x[i], p - 1));
        }
    }
}
