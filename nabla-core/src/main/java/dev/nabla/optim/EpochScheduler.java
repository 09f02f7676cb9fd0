package dev.nabla.optim;

import java.util.Objects;

/**
 * Drives an optimizer with a {@link LearningRateSchedule}: the rate for epoch {@code e} is
 * {@code schedule.learningRate(e, baseLr)}, where {@code baseLr} is the optimizer's rate when this scheduler was
 * made. Like a PyTorch scheduler, construction already sets epoch 0's rate.
 */
public final class EpochScheduler implements LrScheduler {

    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final float baseLr;
    private int epoch;

    public EpochScheduler(Optimizer optimizer, LearningRateSchedule schedule) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.baseLr = optimizer.learningRate();
        setEpoch(0);
    }

    /** The metric is ignored: the schedule depends on the epoch alone. */
    @Override
    public void step(double metric) {
        setEpoch(epoch + 1);
    }

    @Override
    public int epoch() {
        return epoch;
    }

    /** Jumps to {@code epoch} and sets its rate, e.g. when resuming training from a checkpoint. */
    public void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("EpochScheduler: epoch must be >= 0, got " + epoch);
        this.epoch = epoch;
        optimizer.setLearningRate(schedule.learningRate(epoch, baseLr));
    }

    public float baseLearningRate() {
        return baseLr;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }
}
