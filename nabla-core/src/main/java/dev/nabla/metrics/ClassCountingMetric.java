package dev.nabla.metrics;

import java.util.Arrays;

/**
 * Per-class counts of true positives, predictions and actual members, the basis of {@link Precision},
 * {@link Recall} and {@link F1Score} ({@code O(C)} memory). Binary scores report the positive class (1); multiclass
 * outputs the macro average: the unweighted mean of the per-class scores over the classes that occurred since the last
 * reset, as a prediction or as a target (scikit-learn's {@code average='macro'}). A class score whose denominator is 0
 * counts as 0 (scikit-learn's {@code zero_division=0}). NaN before the first sample.
 */
abstract class ClassCountingMetric extends ClassificationMetric {

    private long[] truePositives = new long[0];
    private long[] predicted = new long[0];
    private long[] actual = new long[0];
    private boolean binary;
    private long samples;

    ClassCountingMetric(String name, boolean fromLogits) {
        super(name, fromLogits);
    }

    /** The score of one class from its counts; {@code predicted + actual > 0}. */
    abstract double score(long truePositives, long predicted, long actual);

    @Override
    final void prepare(int classes, boolean binary) {
        this.binary = binary;
        if (truePositives.length != classes) {
            truePositives = new long[classes];
            predicted = new long[classes];
            actual = new long[classes];
        }
    }

    @Override
    final void add(int p, int a) {
        predicted[p]++;
        actual[a]++;
        if (p == a) truePositives[p]++;
        samples++;
    }

    @Override
    final void clear() {
        Arrays.fill(truePositives, 0);
        Arrays.fill(predicted, 0);
        Arrays.fill(actual, 0);
        samples = 0;
    }

    @Override
    public final double result() {
        if (samples == 0) return Double.NaN;
        if (binary) return classScore(1);
        double sum = 0;
        int present = 0;
        for (int c = 0; c < truePositives.length; c++) {
            if (predicted[c] + actual[c] == 0) continue;
            sum += classScore(c);
            present++;
        }
        return sum / present;
    }

    /** The score of one class alone (0 where its denominator is 0); NaN before the first sample. */
    public final double classScore(int c) {
        if (samples == 0) return Double.NaN;
        if (c < 0 || c >= truePositives.length) {
            throw new IndexOutOfBoundsException(name() + ": class " + c + " is out of range for "
                    + truePositives.length + " classes");
        }
        if (predicted[c] + actual[c] == 0) return 0;
        return score(truePositives[c], predicted[c], actual[c]);
    }

    static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
