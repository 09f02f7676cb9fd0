package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/**
 * {@code log(1 + exp(beta * x)) / beta}, and {@code x} itself where {@code beta * x > threshold}: PyTorch's
 * {@code softplus} (defaults beta 1, threshold 20). {@code log1p(exp(.))} in double is exact enough on both sides:
 * for very negative inputs {@code exp} underflows towards the true value {@code exp(x)}, and above the threshold the
 * linear branch avoids the overflow.
 */
public final class Softplus extends UnaryOp {

    private final double beta;
    private final double threshold;

    private Softplus(float beta, float threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    /** PyTorch's defaults: beta 1, threshold 20. */
    public static Tensor apply(Tensor x) {
        return apply(x, 1f, 20f);
    }

    public static Tensor apply(Tensor x, float beta, float threshold) {
        if (!(beta > 0) || Float.isInfinite(beta)) {
            throw new IllegalArgumentException("softplus: beta must be positive and finite, got " + beta);
        }
        return new Softplus(beta, threshold).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            double bx = beta * x[i];
            out[i] = bx > threshold ? x[i] : (float) (Math.log1p(Math.exp(bx)) / beta);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        // the derivative is sigmoid(beta x); 1 on the linear branch
        for (int i = start; i < end; i++) {
            double bx = beta * x[i];
            gradIn[i] = bx > threshold ? g[i] : (float) (g[i] / (1.0 + Math.exp(-bx)));
        }
    }
}
