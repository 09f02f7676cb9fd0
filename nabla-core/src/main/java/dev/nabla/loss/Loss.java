package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * How far a batch of predictions is from its targets, as a scalar tensor that {@code backward()} can start from.
 * Predictions are the model's raw outputs (logits for the "from logits" classification losses).
 */
public interface Loss {

    /** The loss of a batch: {@code predictions} is {@code [batch, ...]}, {@code targets} as the loss documents. */
    Tensor compute(Tensor predictions, Tensor targets);

    /**
     * The loss of each sample, {@code [batch]}, before reduction: what weighted training
     * ({@link dev.nabla.train.FitOptions#sampleWeights}) weights. {@code compute} is their mean (or sum, see
     * {@link #reduction}). A loss of one's own that cannot split its loss by sample keeps this default, and
     * training it with weights is an error.
     */
    default Tensor perSample(Tensor predictions, Tensor targets) {
        throw new UnsupportedOperationException(name() + ": this loss cannot be weighted by sample (it has no perSample)");
    }

    /** How {@link #compute} reduces the per-sample losses (the mean unless the loss says otherwise). */
    default Reduction reduction() {
        return Reduction.MEAN;
    }

    /** The name used in logs, history and saved models, e.g. {@code "sparse_categorical_crossentropy"}. */
    String name();

    /**
     * Turns the model's raw outputs into what {@code predict} returns: probabilities for the losses that work on
     * logits (softmax or sigmoid), the outputs themselves otherwise.
     */
    default Tensor toPrediction(Tensor outputs) {
        return outputs;
    }

    /**
     * The typed settings that recreate this loss: a record registered in {@link Losses} (saved in model files as
     * {@code {"type": ..., key: value...}}). A loss of one's own returns its own record and is registered once.
     */
    Record config();
}
