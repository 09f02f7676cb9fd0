package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** {@code x} for positive inputs, {@code slope * x} otherwise. */
public final class LeakyRelu extends UnaryOp {

    private final float slope;

    private LeakyRelu(float slope) {
        this.slope = slope;
    }

    public static Tensor apply(Tensor x, float negativeSlope) {
        return new LeakyRelu(negativeSlope).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        // branch-free (max and min), so the loop vectorises
        for (int i = start; i < end; i++) {
            float v = x[i];
            out[i] = Math.max(v, 0f) + slope * Math.min(v, 0f);
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            float positive = Relu.positive(x[i]);
            gradIn[i] = g[i] * (positive + slope * (1f - positive));
        }
    }
}
