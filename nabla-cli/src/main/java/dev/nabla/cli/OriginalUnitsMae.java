package dev.nabla.cli;

import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.Metric;
import dev.nabla.tensor.Tensor;

/**
 * Mean absolute error of a regression in the target's original units: the model sees a standardised target, so the
 * error in those units is multiplied by the target's standard deviation. Reported as {@code mae} in the history, so
 * epoch lines, plots and test results use the same units.
 */
final class OriginalUnitsMae implements Metric {

    private final MeanAbsoluteErrorMetric inner = new MeanAbsoluteErrorMetric();
    private final double scale;

    OriginalUnitsMae(double targetStd) {
        this.scale = targetStd;
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public void update(Tensor predictions, Tensor targets) {
        inner.update(predictions, targets);
    }

    @Override
    public double result() {
        return inner.result() * scale;
    }

    @Override
    public String name() {
        return MeanAbsoluteErrorMetric.NAME;
    }
}
