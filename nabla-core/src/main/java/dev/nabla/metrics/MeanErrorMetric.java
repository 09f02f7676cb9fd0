package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * The mean of a per-element error of {@code prediction - target} over every element seen since the last reset (so
 * batches of different sizes weigh by their element counts), the basis of {@link MeanSquaredErrorMetric} and
 * {@link MeanAbsoluteErrorMetric}. Predictions and targets have one shape ({@code [N]} and {@code [N, 1]} are
 * accepted for one another). NaN before the first element.
 */
abstract class MeanErrorMetric extends NamedMetric {

    private double sum;
    private long count;

    MeanErrorMetric(String name) {
        super(name);
    }

    /** The error of one element from its difference {@code prediction - target}. */
    abstract double error(double difference);

    @Override
    public final void reset() {
        sum = 0;
        count = 0;
    }

    @Override
    public final void update(Tensor predictions, Tensor targets) {
        Regression.columns(name(), predictions, targets);
        Tensor pc = predictions.materialize(false);
        Tensor tc = targets.materialize(false);
        float[] p = pc.data();
        float[] t = tc.data();
        int po = pc.offset();
        int to = tc.offset();
        int n = pc.size();
        double s = 0;
        for (int i = 0; i < n; i++) s += error((double) p[po + i] - t[to + i]);
        sum += s;
        count += n;
    }

    @Override
    public final double result() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
