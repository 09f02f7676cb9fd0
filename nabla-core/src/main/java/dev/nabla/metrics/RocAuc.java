package dev.nabla.metrics;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * The area under the ROC curve, as scikit-learn's {@code roc_auc_score}: the probability that a random sample of the
 * positive class scores above a random negative one, ties counting one half (the trapezoid rule on the ROC curve,
 * computed from average ranks, {@code O(N log N)}).
 *
 * <ul>
 * <li><b>Binary</b> predictions {@code [N]} / {@code [N, 1]}: the score of class 1 (a logit or a probability rank
 * the samples alike, so {@code fromLogits} does not change the result).</li>
 * <li><b>Multiclass</b> predictions {@code [N, C]}: one-vs-rest, macro average ({@code multi_class='ovr',
 * average='macro'}): class {@code k}'s AUC ranks the samples by their probability of {@code k}, and the result is
 * the unweighted mean over the {@code C} classes. Rows are probabilities, or logits turned into probabilities with a
 * softmax when {@code fromLogits} (a logit alone does not rank samples as its probability does).</li>
 * </ul>
 * Targets are read as for the other classification metrics (see the package documentation).
 *
 * <p>The AUC is undefined, and {@link #result()} NaN, when a class has no sample or every sample (for multiclass:
 * when any class has no sample, or all of them); scikit-learn raises an error there. A NaN score makes it NaN too.
 * Unlike the counting metrics this one keeps every sample's scores until {@link #reset()} ({@code 4 (C + 1)} bytes
 * a sample, grown by doubling, so not per sample).
 */
public final class RocAuc extends NamedMetric {

    public static final String NAME = "auc";

    private final boolean fromLogits;
    private float[] scores = new float[0];
    private int[] labels = new int[0];
    private int samples;
    private int columns = -1;
    private boolean binary;

    /** Multiclass rows are probabilities. */
    public RocAuc() {
        this(false);
    }

    /** Multiclass rows are logits (softmax applied) when {@code fromLogits}; binary scores work either way. */
    public RocAuc(boolean fromLogits) {
        super(NAME);
        this.fromLogits = fromLogits;
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public RocAuc(Config config) {
        this(config.fromLogits());
    }

    /** @param fromLogits whether multiclass rows are logits (a softmax makes them probabilities) */
    public record Config(@Default("false") boolean fromLogits) {
    }

    @Override
    public Config config() {
        return new Config(fromLogits);
    }

    /** Whether multiclass rows are read as logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public void reset() {
        samples = 0;
        columns = -1;
    }

    @Override
    public void update(Tensor predictions, Tensor targets) {
        int c = Classes.check(NAME, predictions, targets);
        boolean bin = Classes.isBinary(NAME, predictions, targets);
        int cols = bin ? 1 : c;
        if (columns >= 0 && cols != columns) {
            throw new dev.nabla.tensor.ShapeException(NAME + ": batch has " + c + " classes (predictions of shape "
                    + dev.nabla.tensor.Shape.str(predictions.shape()) + "), earlier batches had "
                    + (columns == 1 ? 2 : columns) + "; call reset() between different models");
        }
        int n = predictions.shape(0);
        ensure(samples + n, cols);
        Tensor pc = predictions.materialize(false);
        float[] p = pc.data();
        int po = pc.offset();
        int base = samples;
        for (int i = 0; i < n; i++) {
            int dst = (base + i) * cols;
            if (bin || !fromLogits) {
                System.arraycopy(p, po + i * cols, scores, dst, cols);
            } else {
                softmax(p, po + i * cols, cols, scores, dst);
            }
        }
        int[] at = {base};
        Classes.forEach(NAME, predictions, targets, Classes.threshold(fromLogits), (predicted, actual) -> labels[at[0]++] = actual);
        samples = base + n;
        columns = cols;
        binary = bin;
    }

    /** The AUC over every sample since the last reset (binary, or the macro average of one-vs-rest); NaN if undefined. */
    @Override
    public double result() {
        if (samples == 0) return Double.NaN;
        if (binary) return auc(1, 0, 1);
        double sum = 0;
        for (int k = 0; k < columns; k++) sum += auc(k, k, columns);
        return sum / columns;
    }

    /**
     * Class {@code k}'s one-vs-rest AUC (for binary outputs, class 1's is the AUC and class 0's the same); NaN when
     * the class has no sample or every sample, or before the first sample.
     */
    public double classAuc(int k) {
        if (samples == 0) return Double.NaN;
        int classes = classes();
        if (k < 0 || k >= classes) {
            throw new IndexOutOfBoundsException(NAME + ": class " + k + " is out of range for " + classes + " classes");
        }
        return binary ? auc(1, 0, 1) : auc(k, k, columns);
    }

    /** The number of classes seen since the last reset (2 for binary), or -1 before the first batch. */
    public int classes() {
        return columns < 0 ? -1 : binary ? 2 : columns;
    }

    /** Samples of class {@code k} seen since the last reset. */
    public long support(int k) {
        long count = 0;
        for (int i = 0; i < samples; i++) if (labels[i] == k) count++;
        return count;
    }

    private void ensure(int n, int cols) {
        if (labels.length < n) labels = Arrays.copyOf(labels, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, 2L * labels.length)));
        long need = (long) labels.length * cols;
        if (need > Integer.MAX_VALUE - 8) throw new IllegalStateException(NAME + ": too many samples to keep (" + n + " x " + cols + " scores)");
        if (scores.length < need) scores = Arrays.copyOf(scores, (int) need);
    }

    /**
     * AUC of "label == positive" ranked by the scores in column {@code column} of rows {@code columns} wide: the
     * Mann-Whitney statistic, average ranks for tied scores.
     */
    private double auc(int positive, int column, int columns) {
        long[] keys = new long[samples];
        for (int i = 0; i < samples; i++) {
            float s = scores[i * columns + column];
            if (Float.isNaN(s)) return Double.NaN;
            keys[i] = ((long) sortable(s) << 32) | (i & 0xffffffffL);
        }
        Arrays.sort(keys);
        double positiveRanks = 0;
        long positives = 0;
        for (int start = 0; start < samples; ) {
            int hi = (int) (keys[start] >> 32);
            int end = start + 1;
            while (end < samples && (int) (keys[end] >> 32) == hi) end++;
            // ranks start..end-1 (0-based) share their mean, (start + end - 1) / 2 + 1 in 1-based ranks
            double rank = (start + end + 1) / 2.0;
            for (int j = start; j < end; j++) {
                if (labels[(int) keys[j]] == positive) {
                    positiveRanks += rank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = samples - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** The float's bits as an int that orders as the float does; -0 and +0 are one tie. */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static void softmax(float[] src, int so, int n, float[] dst, int out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, src[so + j]);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.exp(src[so + j] - max);
        for (int j = 0; j < n; j++) dst[out + j] = (float) (Math.exp(src[so + j] - max) / sum);
    }
}
