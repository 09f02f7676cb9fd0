package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Sigmoid linear unit (swish) {@code x * sigmoid(x)}, PyTorch's {@code silu}. */
public final class Silu extends UnaryOp {

    public static Tensor apply(Tensor x) {
        return new Silu().run(x);
    }

    @Override
    void forward(float[] x, float[] out, int start, int end) {
        for (int i = start; i < end; i++) {
            double v = x[i];
            out[i] = (float) (v / (1.0 + Math.exp(-v)));
        }
    }

    @Override
    void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end) {
        // d/dx x s(x) = s(x) (1 + x (1 - s(x)))
        for (int i = start; i < end; i++) {
            double v = x[i];
            double s = 1.0 / (1.0 + Math.exp(-v));
            gradIn[i] = (float) (g[i] * s * (1.0 + v * (1.0 - s)));
        }
    }
}
