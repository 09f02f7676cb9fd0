package dev.nabla.metrics;

import dev.nabla.config.Default;

/**
 * F1 score, {@code 2 tp / (predicted + actual)}: the harmonic mean of precision and recall. Binary scores ({@code
 * [N]} / {@code [N, 1]}, thresholded at probability 0.5 or logit 0 with {@code fromLogits}) report the positive class
 * 1; multiclass outputs {@code [N, C]} (argmax) report the macro average over the classes seen. A class with a zero
 * denominator scores 0. NaN before the first sample. See the package documentation.
 */
public final class F1Score extends ClassCountingMetric {

    public static final String NAME = "f1_score";

    /** Binary scores are probabilities (threshold 0.5). */
    public F1Score() {
        this(false);
    }

    /** Binary scores are logits (threshold 0) when {@code fromLogits}; multiclass outputs work either way. */
    public F1Score(boolean fromLogits) {
        super(NAME, fromLogits);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public F1Score(Config config) {
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
        return ratio(2 * truePositives, predicted + actual);
    }
}
