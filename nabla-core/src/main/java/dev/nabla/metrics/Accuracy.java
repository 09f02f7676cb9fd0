package dev.nabla.metrics;

import dev.nabla.config.Default;

/**
 * The fraction of samples whose predicted class is the true one. Multiclass predictions {@code [N, C]} use their
 * argmax; binary scores {@code [N]} / {@code [N, 1]} are thresholded at probability 0.5 (or logit 0 with
 * {@code fromLogits}); targets are labels or one-hot rows. See the package documentation for the exact rules. NaN
 * before the first sample.
 */
public final class Accuracy extends ClassificationMetric {

    public static final String NAME = "accuracy";

    private long correct;
    private long total;

    /** Binary scores are probabilities (threshold 0.5). */
    public Accuracy() {
        this(false);
    }

    /** Binary scores are logits (threshold 0) when {@code fromLogits}; multiclass outputs work either way. */
    public Accuracy(boolean fromLogits) {
        super(NAME, fromLogits);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Accuracy(Config config) {
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
    }

    @Override
    void add(int predicted, int actual) {
        if (predicted == actual) correct++;
        total++;
    }

    @Override
    void clear() {
        correct = 0;
        total = 0;
    }

    @Override
    public double result() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Samples counted since the last reset. */
    public long count() {
        return total;
    }
}
