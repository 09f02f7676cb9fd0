package dev.nabla.metrics;

import dev.nabla.config.Default;

/**
 * Precision, {@code tp / predicted}: of the samples predicted as a class, the fraction that belong to it. Binary
 * scores ({@code [N]} / {@code [N, 1]}, thresholded at probability 0.5 or logit 0 with {@code fromLogits}) report the
 * positive class 1; multiclass outputs {@code [N, C]} (argmax) report the macro average over the classes seen. A
 * class with a zero denominator scores 0. NaN before the first sample. See the package
 * documentation.
 */
public final class Precision extends ClassCountingMetric {

    public static final String NAME = "precision";

    /** Binary scores are probabilities (threshold 0.5). */
    public Precision() {
        this(false);
    }

    /** Binary scores are logits (threshold 0) when {@code fromLogits}; multiclass outputs work either way. */
    public Precision(boolean fromLogits) {
        super(NAME, fromLogits);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Precision(Config config) {
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
    double score(long truePositives, long predicted, long actual) {
        return ratio(truePositives, predicted);
    }
}
