package dev.nabla.metrics;

/**
 * Mean of {@code |prediction - target|} over every element seen since the last reset (so batches of different sizes
 * weigh by their element counts). Predictions and targets have one shape ({@code [N]} and {@code [N, 1]} are accepted
 * for one another). NaN before the first element.
 */
public final class MeanAbsoluteErrorMetric extends MeanErrorMetric {

    public static final String NAME = "mae";

    public MeanAbsoluteErrorMetric() {
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
    double error(double difference) {
        return Math.abs(difference);
    }
}
