package dev.nabla.data;

import dev.nabla.tensor.Tensor;

/**
 * Standardisation of table data, {@code (v - mean) / std} per column like scikit-learn's {@code StandardScaler}
 * (population deviation; a constant column keeps deviation 1). Fitted on the training rows only and stored in
 * {@link Preprocessing}, so evaluate and predict scale new data with the training statistics. Regression targets are
 * always standardised this way (the loss sees values near 0 whatever their unit); {@link #unscaleTargets} turns the
 * model's outputs back into the original unit.
 */
public final class Standardizer {

    private Standardizer() {
    }

    /**
     * Fits statistics on the given rows of raw table data (as {@link CsvLoader#loadRaw} returns it; null rows: all)
     * and applies them to every row: feature mean and deviation when {@code standardizeFeatures}, target mean and
     * deviation for regression. Image and IDX data are returned as they are (their pixels are already in [0, 1]).
     */
    public static LoadedData fit(LoadedData raw, int[] rows, boolean standardizeFeatures) {
        Preprocessing fitted = fitted(raw, rows, standardizeFeatures);
        if (fitted == raw.preprocessing()) return raw;
        Tensor x = raw.x();
        if (fitted.featureMean() != null) {
            // scale with the float32 statistics the model keeps, so that data read later for this model (evaluate,
            // predict, training continued from the file) is scaled bit for bit as the training data was
            x = scale(x, toDouble(fitted.featureMean()), toDouble(fitted.featureStd()));
        }
        Tensor y = raw.y();
        if (fitted.task() == Task.REGRESSION && y != null) y = scale(y, fitted.targetMean(), fitted.targetStd());
        return new LoadedData(x, y, fitted);
    }

    /**
     * The statistics {@link #fit} fits on all of {@code raw} (a table's feature mean and deviation, float32 as a model
     * keeps them, when {@code standardizeFeatures}; a regression target's mean and deviation), without applying them:
     * for a model that standardises inside, with a {@link dev.nabla.nn.Normalization} layer and
     * {@link dev.nabla.train.Model.TargetScaling}, which then compute exactly what {@code fit} would have. Other data
     * gives its preprocessing as it is.
     */
    public static Preprocessing statistics(LoadedData raw, boolean standardizeFeatures) {
        return fitted(raw, null, standardizeFeatures);
    }

    private static Preprocessing fitted(LoadedData raw, int[] rows, boolean standardizeFeatures) {
        Preprocessing p = raw.preprocessing();
        if (!"table".equals(p.kind())) return p;
        if (p.featureMean() != null || p.targetMean() != 0 || p.targetStd() != 1) {
            throw new IllegalArgumentException("standardize: the data is already standardised; fit on raw data (CsvLoader.loadRaw)");
        }
        float[] mean = null;
        float[] std = null;
        if (standardizeFeatures) {
            double[][] stats = columnStats(raw.x(), rows);
            mean = toFloat(stats[0]);
            std = toFloat(stats[1]);
        }
        Tensor y = raw.y();
        double targetMean = 0;
        double targetStd = 1;
        if (p.task() == Task.REGRESSION && y != null) {
            double[][] stats = columnStats(y.reshape(y.shape(0), 1), rows);
            targetMean = stats[0][0];
            targetStd = stats[1][0];
        }
        return p.withStatistics(mean, std, targetMean, targetStd);
    }

    /** Features {@code [N, F]} scaled with the fitted statistics ({@code x} itself when there are none). */
    public static Tensor applyFeatures(Tensor x, Preprocessing fitted) {
        if (fitted.featureMean() == null) return x;
        int f = fitted.featureMean().length;
        if (x.rank() != 2 || x.shape(1) != f) {
            throw new IllegalArgumentException("standardize: expected [N, " + f + "] features, got " + java.util.Arrays.toString(x.shape()));
        }
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            mean[j] = fitted.featureMean()[j];
            std[j] = fitted.featureStd()[j];
        }
        return scale(x, mean, std);
    }

    /** Raw regression targets in the model's standardised unit. */
    public static Tensor scaleTargets(Tensor y, Preprocessing fitted) {
        return scale(y, fitted.targetMean(), fitted.targetStd());
    }

    /** Model outputs of a regression model back in the target's original unit: {@code out * std + mean}. */
    public static Tensor unscaleTargets(Tensor out, Preprocessing fitted) {
        float[] v = out.contiguous().toArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * fitted.targetStd() + fitted.targetMean());
        return Tensor.wrap(v, out.shape());
    }

    /** Per-column mean and population deviation (0 replaced by 1) of {@code [N, F]} over {@code rows} (null: all). */
    static double[][] columnStats(Tensor x, int[] rows) {
        Tensor c = x.contiguous();
        float[] d = c.data();
        int off = c.offset();
        int n = rows == null ? c.shape(0) : rows.length;
        int f = c.size() / Math.max(1, c.shape(0));
        double[] mean = new double[f];
        double[] std = new double[f];
        if (n == 0) throw new IllegalArgumentException("standardize: no rows to fit on");
        // two passes: the sum of squared deviations is exactly 0 for a constant column
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            for (int j = 0; j < f; j++) mean[j] += d[off + r * f + j];
        }
        for (int j = 0; j < f; j++) mean[j] /= n;
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            for (int j = 0; j < f; j++) {
                double e = d[off + r * f + j] - mean[j];
                std[j] += e * e;
            }
        }
        for (int j = 0; j < f; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (!(std[j] > 0) || !Double.isFinite(std[j])) std[j] = 1;
        }
        return new double[][]{mean, std};
    }

    private static Tensor scale(Tensor x, double[] mean, double[] std) {
        float[] v = x.contiguous().toArray();
        int f = mean.length;
        for (int i = 0; i < v.length; i++) {
            int j = i % f;
            v[i] = (float) ((v[i] - mean[j]) / std[j]);
        }
        return Tensor.wrap(v, x.shape());
    }

    private static Tensor scale(Tensor x, double mean, double std) {
        return scale(x, new double[]{mean}, new double[]{std});
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
