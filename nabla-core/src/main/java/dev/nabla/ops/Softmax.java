package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/** Softmax along one axis, computed stably by subtracting each row's maximum before exponentiating. */
public final class Softmax extends Function {

    private final ReduceLayout layout;
    private float[] probabilities;

    private Softmax(ReduceLayout layout, float[] probabilities) {
        this.layout = layout;
        this.probabilities = probabilities;
    }

    public static Tensor apply(Tensor x, int axis) {
        ReduceLayout layout = new ReduceLayout("softmax", x.shape(), new int[]{axis}, true);
        Dense rows = layout.rows(x);
        float[] p = StepArena.floats(layout.outer * layout.inner);
        int inner = layout.inner;
        Parallel.forRange(layout.outer, Math.max(1, Dense.GRAIN / Math.max(1, inner)), (s, e) -> {
            for (int r = s; r < e; r++) softmaxRow(rows.data(), rows.offset() + r * inner, p, r * inner, inner);
        });
        Tensor out = layout.fromRows(p);
        return needsGrad(x) ? new Softmax(layout, p).record(out, x) : out;
    }

    /** {@code out[o..o+n) = softmax(x[xo..xo+n))}. */
    static void softmaxRow(float[] x, int xo, float[] out, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[xo + j] - max);
            out[o + j] = e;
            sum += e;
        }
        float scale = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) out[o + j] *= scale;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = y * (g - sum(g * y)) within each row
        Dense gd = layout.rows(g);
        int inner = layout.inner;
        float[] dx = StepArena.floats(probabilities.length);
        for (int r = 0; r < layout.outer; r++) {
            int go = gd.offset() + r * inner;
            int o = r * inner;
            double dot = 0;
            for (int j = 0; j < inner; j++) dot += gd.data()[go + j] * probabilities[o + j];
            float d = (float) dot;
            for (int j = 0; j < inner; j++) dx[o + j] = probabilities[o + j] * (gd.data()[go + j] - d);
        }
        return new Tensor[]{layout.fromRows(dx)};
    }

    @Override
    protected void releaseSaved() {
        probabilities = null;
    }
}
