package dev.nabla.optim;

/**
 * Multiplies the rate by {@code gamma} every {@code stepSize} epochs: {@code baseLr * gamma^(epoch / stepSize)}
 * (integer division), like {@code torch.optim.lr_scheduler.StepLR}.
 */
public record StepDecay(int stepSize, double gamma) implements LearningRateSchedule {

    public StepDecay {
        if (stepSize < 1) throw new IllegalArgumentException("StepDecay: stepSize must be >= 1, got " + stepSize);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("StepDecay: gamma must be a finite number >= 0, got " + gamma);
        }
    }

    @Override
    public float learningRate(int epoch, float baseLr) {
        return (float) (baseLr * Math.pow(gamma, epoch / stepSize));
    }
}
