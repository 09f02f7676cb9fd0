package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * A quality measure accumulated over the batches of an epoch (e.g. accuracy): {@link #reset()}, then
 * {@link #update} per batch, then {@link #result()}.
 */
public interface Metric {

    /** Forgets everything seen so far. */
    void reset();

    /** Adds a batch: the model's raw outputs and the targets, as the loss receives them. */
    void update(Tensor predictions, Tensor targets);

    /** The value over everything seen since the last reset. */
    double result();

    /** The name used in logs and history, e.g. {@code "accuracy"} or {@code "top_3_accuracy"}. */
    String name();

    /**
     * The typed settings that recreate this metric: a record registered in {@link Metrics} (saved in model files as
     * {@code {"type": ..., key: value...}}). The default suits a metric that reports under a registered metric's
     * name with that metric's default settings (e.g. a wrapper that rescales {@code mae}); other metrics of one's
     * own return their own record and are registered once.
     */
    default Record config() {
        return Metrics.defaultConfig(name());
    }
}
