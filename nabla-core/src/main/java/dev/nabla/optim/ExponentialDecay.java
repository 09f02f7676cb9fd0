package dev.nabla.optim;

/** Multiplies the rate by {@code gamma} every epoch: {@code baseLr * gamma^epoch}, like {@code ExponentialLR}. */
public record ExponentialDecay(double gamma) implements LearningRateSchedule {

    public ExponentialDecay {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("ExponentialDecay: gamma must be a finite number >= 0, got " + gamma);
        }
    }

    @Override
    public float learningRate(int epoch, float baseLr) {
        return (float) (baseLr * Math.pow(gamma, epoch));
    }
}
