package dev.nabla.optim;

/**
 * A learning rate as a pure function of the epoch, for the schedules that depend on nothing else ({@link StepDecay},
 * {@link ExponentialDecay}, {@link CosineAnnealing}, {@link LinearWarmup}). Drive one with {@link EpochScheduler};
 * for a rate that reacts to a metric use {@link ReduceOnPlateau}.
 *
 * <p>Epochs count from 0, as PyTorch's {@code last_epoch} after that many {@code scheduler.step()} calls: epoch 0 is
 * the first epoch of training.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate to train epoch {@code epoch} (>= 0) with, given the optimizer's initial rate. */
    float learningRate(int epoch, float baseLr);

    /** The base rate at every epoch. */
    static LearningRateSchedule constant() {
        return (epoch, baseLr) -> baseLr;
    }
}
