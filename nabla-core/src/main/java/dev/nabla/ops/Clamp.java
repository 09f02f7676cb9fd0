package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Limits each element to {@code [min, max]}; the gradient passes where {@code min <= x <= max}, as in PyTorch. */
public final class Clamp extends UnaryOp {

    private final float min;
    private final float max;

    private Clamp(float min, float max) {
        this.min = min;
        this.max = max;
    }

    public static Tensor apply(Tensor x, float min, float max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        return new Clamp(min, max).run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) out[i] = Math.min(max, Math.max(min, x[i]));
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        for (int i = start; i < end; i++) {
            float v = x[i];
            gradIn[i] = v >= min && v <= max ? g[i] : 0f;
        }
    }
}
