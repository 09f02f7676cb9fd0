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
    void forward(float[] x, int xo, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[xo + i];
            out[i] = v > 0f ? v : slope * v;
        }
    }

    @Override
    void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) gradIn[i] = x[xo + i] > 0f ? g[go + i] : slope * g[go + i];
    }
}
