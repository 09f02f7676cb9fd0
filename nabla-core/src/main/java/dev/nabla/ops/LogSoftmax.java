package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/** Log of softmax along one axis, as {@code x - max - log(sum(exp(x - max)))}: stable for any input range. */
public final class LogSoftmax extends Function {

    private final ReduceLayout layout;
    private float[] logProbabilities;

    private LogSoftmax(ReduceLayout layout, float[] logProbabilities) {
        this.layout = layout;
        this.logProbabilities = logProbabilities;
    }

    public static Tensor apply(Tensor x, int axis) {
        ReduceLayout layout = new ReduceLayout("logSoftmax", x.shape(), new int[]{axis}, true);
        Dense rows = layout.rows(x);
        float[] out = StepArena.floats(layout.outer * layout.inner);
        int inner = layout.inner;
        Parallel.forRange(layout.outer, Math.max(1, Dense.GRAIN / Math.max(1, inner)), (s, e) -> {
            for (int r = s; r < e; r++) logSoftmaxRow(rows.data(), rows.offset() + r * inner, out, r * inner, inner);
        });
        Tensor result = layout.fromRows(out);
        return needsGrad(x) ? new LogSoftmax(layout, out).record(result, x) : result;
    }

    /** {@code out[o..o+n) = logSoftmax(x[xo..xo+n))}. */
    static void logSoftmaxRow(float[] x, int xo, float[] out, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.exp(x[xo + j] - max);
        // (x - max) - log(sum), not x - (max + log(sum)): for large x the latter loses the low digits
        float logSum = (float) Math.log(sum);
        for (int j = 0; j < n; j++) out[o + j] = (x[xo + j] - max) - logSum;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = g - softmax * sum(g) within each row, softmax = exp(log-probabilities)
        Dense gd = layout.rows(g);
        int inner = layout.inner;
        float[] dx = StepArena.floats(logProbabilities.length);
        for (int r = 0; r < layout.outer; r++) {
            int go = gd.offset() + r * inner;
            int o = r * inner;
            double total = 0;
            for (int j = 0; j < inner; j++) total += gd.data()[go + j];
            float t = (float) total;
            for (int j = 0; j < inner; j++) dx[o + j] = gd.data()[go + j] - (float) Math.exp(logProbabilities[o + j]) * t;
        }
        return new Tensor[]{layout.fromRows(dx)};
    }

    @Override
    protected void releaseSaved() {
        logProbabilities = null;
    }
}
