package dev.nabla.optim;

import java.util.Objects;

/**
 * Ramps the rate linearly up to the base rate over the first {@code warmupEpochs} epochs
 * ({@code baseLr * (epoch + 1) / warmupEpochs}), then follows {@code then} with its epochs counted from the end
 * of the warm-up. Equals PyTorch's {@code SequentialLR([LinearLR(start_factor=1/w, total_iters=w-1), then],
 * milestones=[w])}.
 */
public record LinearWarmup(int warmupEpochs, LearningRateSchedule then) implements LearningRateSchedule {

    public LinearWarmup {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("LinearWarmup: warmupEpochs must be >= 0, got " + warmupEpochs);
        }
        Objects.requireNonNull(then, "LinearWarmup: the schedule after warm-up");
    }

    /** Warm-up, then the base rate. */
    public LinearWarmup(int warmupEpochs) {
        this(warmupEpochs, LearningRateSchedule.constant());
    }

    @Override
    public float learningRate(int epoch, float baseLr) {
        if (epoch < warmupEpochs) return (float) ((double) baseLr * (epoch + 1) / warmupEpochs);
        return then.learningRate(epoch - warmupEpochs, baseLr);
    }
}
