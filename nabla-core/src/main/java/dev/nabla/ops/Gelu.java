package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/**
 * Gaussian error linear unit {@code x * Phi(x)}: exact (with erf, PyTorch's default) or with the tanh approximation.
 */
public final class Gelu extends UnaryOp {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final boolean tanhApproximation;

    private Gelu(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    public static Tensor apply(Tensor x, boolean tanhApproximation) {
        return new Gelu(tanhApproximation).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        if (tanhApproximation) {
            for (int i = start; i < end; i++) {
                double v = x[i];
                out[i] = (float) (0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
            }
        } else {
            GeluKernels.forward(x, out, start, end);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        if (tanhApproximation) {
            for (int i = start; i < end; i++) {
                double v = x[i];
                double inner = SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
                double t = Math.tanh(inner);
                double dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
                gradIn[i] = (float) (g[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner));
            }
        } else {
            GeluKernels.backward(g, x, gradIn, start, end);
        }
    }
}
