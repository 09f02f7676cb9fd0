package dev.nabla.train;

import java.util.Map;

/**
 * Hooks into {@link Model#fit}: each method is called at its moment of training and does nothing by default.
 * Early stopping, checkpoints, CSV logs, learning-rate schedules and progress bars are callbacks.
 */
public interface Callback {

    default void onTrainBegin(TrainingContext context) {
    }

    /** {@code epoch} counts from 1. */
    default void onEpochBegin(int epoch, TrainingContext context) {
    }

    /** After each optimizer step: {@code batch} counts from 1 up to {@code batches}; {@code loss} is that batch's. */
    default void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
    }

    /** After each epoch, with its logs: {@code loss}, metrics, {@code val_loss}, {@code val_<metric>}, {@code lr}. */
    default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    }

    default void onTrainEnd(TrainingContext context) {
    }
}
