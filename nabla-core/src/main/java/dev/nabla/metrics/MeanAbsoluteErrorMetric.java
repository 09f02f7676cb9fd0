package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * Mean of {@code |prediction - target|} over every element seen since the last reset (so batches of different sizes
 * weigh by their element counts). Predictions and targets have one shape ({@code [N]} and {@code [N, 1]} are accepted
 * for one another). NaN before the first element.
 */
public final class MeanAbsoluteErrorMetric implements Metric {

    public static final String NAME = "mae";

    private double sum;
    private long count;

    @Override
    public void reset() {
        sum = 0;
        count = 0;
    }

    @Override
    public void update(Tensor predictions, Tensor targets) {
        Regression.columns(NAME, predictions, targets);
        Tensor pc = predictions.materialize(false);
        Tensor tc = targets.materialize(false);
        float[] p = pc.data();
        float[] t = tc.data();
        int po = pc.offset();
        int to = tc.offset();
        int n = pc.size();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[po + i] - t[to + i];
            s += Math.abs(d);
        }
        sum += s;
        count += n;
    }

    @Override
    public double result() {
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME + "=" + result();
    }
}
