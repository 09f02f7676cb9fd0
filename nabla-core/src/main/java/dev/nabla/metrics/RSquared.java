package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * The coefficient of determination {@code R^2 = 1 - SS_res / SS_tot} over everything seen since the last reset, with
 * {@code SS_res = sum (target - prediction)^2} and {@code SS_tot = sum (target - mean(target))^2}. For several outputs
 * per sample ({@code [N, D]}) it is computed per output column and averaged uniformly (scikit-learn's default
 * {@code multioutput='uniform_average'}). Where the targets are constant ({@code SS_tot = 0}) a column scores 1 if the
 * predictions are exact and 0 otherwise (scikit-learn's {@code force_finite}). NaN before the first sample.
 *
 * <p>The target mean and {@code SS_tot} are accumulated across batches with Chan et al.'s pairwise update of the
 * mean and sum of squared deviations, not as {@code sum(y^2) - sum(y)^2 / n}, which cancels catastrophically when the
 * targets' mean is large against their spread.
 */
public final class RSquared extends NamedMetric {

    public static final String NAME = "r2";

    private long count;
    private double[] mean = new double[0];
    private double[] squaredDeviations = new double[0];
    private double[] squaredResiduals = new double[0];
    private double[] batchMean = new double[0];

    public RSquared() {
        super(NAME);
    }

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    public void reset() {
        count = 0;
        Arrays.fill(mean, 0);
        Arrays.fill(squaredDeviations, 0);
        Arrays.fill(squaredResiduals, 0);
    }

    @Override
    public void update(Tensor predictions, Tensor targets) {
        int d = Regression.columns(NAME, predictions, targets);
        if (count > 0 && d != mean.length) {
            throw new dev.nabla.tensor.ShapeException(NAME + ": batch has " + d + " outputs per sample (predictions of"
                    + " shape " + dev.nabla.tensor.Shape.str(predictions.shape()) + "), earlier batches had "
                    + mean.length);
        }
        if (mean.length != d) {
            mean = new double[d];
            squaredDeviations = new double[d];
            squaredResiduals = new double[d];
            batchMean = new double[d];
        }
        Tensor pc = predictions.materialize(false);
        Tensor tc = targets.materialize(false);
        float[] p = pc.data();
        float[] t = tc.data();
        int po = pc.offset();
        int to = tc.offset();
        int n = d == 0 ? 0 : pc.size() / d;
        if (n == 0) return;
        Arrays.fill(batchMean, 0);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) batchMean[j] += t[to + i * d + j];
        for (int j = 0; j < d; j++) batchMean[j] /= n;
        long total = count + n;
        for (int j = 0; j < d; j++) {
            double m = batchMean[j];
            double deviations = 0;
            double residuals = 0;
            for (int i = 0; i < n; i++) {
                double y = t[to + i * d + j];
                double dev = y - m;
                double res = y - p[po + i * d + j];
                deviations += dev * dev;
                residuals += res * res;
            }
            double delta = m - mean[j];
            squaredDeviations[j] += deviations + delta * delta * ((double) count * n / total);
            mean[j] += delta * n / total;
            squaredResiduals[j] += residuals;
        }
        count = total;
    }

    @Override
    public double result() {
        if (count == 0 || mean.length == 0) return Double.NaN;
        double sum = 0;
        for (int j = 0; j < mean.length; j++) {
            double r2;
            if (squaredDeviations[j] == 0) r2 = squaredResiduals[j] == 0 ? 1 : 0;
            else r2 = 1 - squaredResiduals[j] / squaredDeviations[j];
            sum += r2;
        }
        return sum / mean.length;
    }
}
