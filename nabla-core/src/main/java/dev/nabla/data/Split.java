package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Training and validation parts of one data set, sharing one {@link Preprocessing}. {@link #of} holds out a random
 * fraction of the samples (the same ones for the same seed) and fits table standardisation on the training part only,
 * so no statistic of the validation samples leaks into training. {@code validation} is null when nothing is held out.
 */
public record Split(LoadedData train, LoadedData validation) {

    /**
     * Splits raw data ({@link CsvLoader#loadRaw}, {@link ImageFolderLoader#load}, {@link IdxLoader#load}).
     *
     * @param validationFraction share of the samples held out, in {@code [0, 1)}; 0 keeps all for training
     * @param seed               picks the held-out samples
     * @param standardize        standardise table features (fitted on the training part); regression targets always are
     */
    public static Split of(LoadedData raw, double validationFraction, long seed, boolean standardize) {
        int n = raw.size();
        int[][] parts = indices(n, validationFraction, seed);
        if (parts[1].length == 0) return new Split(Standardizer.fit(raw, null, standardize), null);
        LoadedData fitted = Standardizer.fit(raw, parts[0], standardize);
        return new Split(select(fitted, parts[0]), select(fitted, parts[1]));
    }

    /**
     * The same samples in the same parts as {@link #of}, nothing scaled: for a model that scales its data itself
     * (fit its statistics on the training part with {@link Standardizer#statistics}).
     */
    public static Split unscaled(LoadedData raw, double validationFraction, long seed) {
        int[][] parts = indices(raw.size(), validationFraction, seed);
        if (parts[1].length == 0) return new Split(raw, null);
        return new Split(select(raw, parts[0]), select(raw, parts[1]));
    }

    /**
     * Training and validation sample indices: a seeded shuffle of {@code [0, n)}, whose first
     * {@code round(n * fraction)} indices are held out. Both parts keep the shuffled order.
     */
    public static int[][] indices(int n, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationFraction);
        }
        int held = (int) Math.round(n * validationFraction);
        if (validationFraction > 0 && (held < 1 || held >= n)) {
            throw new IllegalArgumentException("a validation split of " + validationFraction + " of " + n
                    + (n == 1 ? " sample" : " samples") + " leaves no samples for " + (held < 1 ? "validation" : "training"));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (held == 0) return new int[][]{order, new int[0]};
        int[] val = java.util.Arrays.copyOfRange(order, 0, held);
        int[] train = java.util.Arrays.copyOfRange(order, held, n);
        return new int[][]{train, val};
    }

    /** The given samples of {@code data}, copied, with the same preprocessing. */
    public static LoadedData select(LoadedData data, int[] samples) {
        return new LoadedData(rows(data.x(), samples), data.y() == null ? null : rows(data.y(), samples), data.preprocessing());
    }

    private static Tensor rows(Tensor t, int[] samples) {
        Tensor c = t.contiguous();
        int[] shape = c.shape();
        int row = c.size() / Math.max(1, shape[0]);
        float[] src = c.data();
        int off = c.offset();
        float[] out = new float[samples.length * row];
        for (int i = 0; i < samples.length; i++) System.arraycopy(src, off + samples[i] * row, out, i * row, row);
        shape[0] = samples.length;
        return Tensor.wrap(out, shape);
    }
}
