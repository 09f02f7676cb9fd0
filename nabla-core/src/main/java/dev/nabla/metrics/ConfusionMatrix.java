package dev.nabla.metrics;

import dev.nabla.config.Default;

/**
 * Counts of (true class, predicted class) pairs: row {@code i}, column {@code j} holds the samples of class {@code i}
 * predicted as {@code j} (scikit-learn's layout). Classes are read as for the other classification metrics (see the
 * package documentation); binary outputs give a 2 x 2 matrix. {@link #result()} is the accuracy (the diagonal's share
 * of all samples), so the metric can be logged like any other; {@link #matrix()} gives the counts and
 * {@link #toString()} a table.
 */
public final class ConfusionMatrix extends ClassificationMetric {

    public static final String NAME = "confusion_matrix";

    private long[][] counts = new long[0][0];
    private long total;

    /** Binary scores are probabilities (threshold 0.5). */
    public ConfusionMatrix() {
        this(false);
    }

    /** Binary scores are logits (threshold 0) when {@code fromLogits}; multiclass outputs work either way. */
    public ConfusionMatrix(boolean fromLogits) {
        super(NAME, fromLogits);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public ConfusionMatrix(Config config) {
        this(config.fromLogits());
    }

    /** @param fromLogits whether binary scores are logits (threshold 0) rather than probabilities (threshold 0.5) */
    public record Config(@Default("false") boolean fromLogits) {
    }

    @Override
    public Config config() {
        return new Config(fromLogits());
    }

    @Override
    void prepare(int classes, boolean binary) {
        if (counts.length != classes) counts = new long[classes][classes];
    }

    @Override
    void add(int predicted, int actual) {
        counts[actual][predicted]++;
        total++;
    }

    @Override
    void clear() {
        for (long[] row : counts) java.util.Arrays.fill(row, 0);
        total = 0;
    }

    /** The accuracy: correctly classified samples over all samples; NaN before the first sample. */
    @Override
    public double result() {
        if (total == 0) return Double.NaN;
        long diagonal = 0;
        for (int i = 0; i < counts.length; i++) diagonal += counts[i][i];
        return (double) diagonal / total;
    }

    /**
     * A copy of the counts, {@code [true class][predicted class]}; empty before the first batch. Throws an
     * {@link ArithmeticException} if a count exceeds {@code Integer.MAX_VALUE} (use {@link #count}).
     */
    public int[][] matrix() {
        int[][] m = new int[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) m[i][j] = Math.toIntExact(counts[i][j]);
        }
        return m;
    }

    /** The number of samples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        if (actual < 0 || actual >= counts.length || predicted < 0 || predicted >= counts.length) {
            throw new IndexOutOfBoundsException(NAME + ": (" + actual + ", " + predicted + ") is out of range for "
                    + counts.length + " classes");
        }
        return counts[actual][predicted];
    }

    /** Samples counted since the last reset. */
    public long total() {
        return total;
    }

    /**
     * The counts as a right-aligned table, rows the true classes and columns the predicted ones:
     * <pre>
     * true\pred  0  1  2
     *         0  5  1  0
     *         1  0  3  2
     *         2  1  0  4
     * </pre>
     */
    @Override
    public String toString() {
        if (counts.length == 0) return "true\\pred (no samples)";
        String corner = "true\\pred";
        int width = 1;
        for (long[] row : counts) for (long v : row) width = Math.max(width, Long.toString(v).length());
        width = Math.max(width, Integer.toString(counts.length - 1).length());
        StringBuilder sb = new StringBuilder(corner);
        for (int j = 0; j < counts.length; j++) pad(sb.append("  "), Integer.toString(j), width);
        for (int i = 0; i < counts.length; i++) {
            pad(sb.append('\n'), Integer.toString(i), corner.length());
            for (int j = 0; j < counts.length; j++) pad(sb.append("  "), Long.toString(counts[i][j]), width);
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, String s, int width) {
        sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
    }
}
