package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Shared settings of the softmax cross-entropy losses on logits {@code [N, C]} ({@link CategoricalCrossEntropy} and
 * {@link SparseCategoricalCrossEntropy}): label smoothing, a {@link Reduction}, the name, and the softmax as the
 * prediction. Subclasses check their targets and hand them to the fused {@link SoftmaxCrossEntropy}.
 */
abstract class CrossEntropyLoss implements Loss {

    private final String name;
    private final float labelSmoothing;
    private final Reduction reduction;

    CrossEntropyLoss(String name, float labelSmoothing, Reduction reduction) {
        this.name = name;
        this.labelSmoothing = LossChecks.smoothing(name, labelSmoothing);
        this.reduction = LossChecks.reduction(name, reduction);
    }

    public final float labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * Each sample's loss from logits {@code [N, C]} and dense targets {@code [N, C]}: {@code -sum_j t'_j
     * log_softmax(x)_j} with the smoothed targets {@code t' = (1 - eps) t + eps / C}, composed from tensor operations
     * (the fused kernel only gives the reduced loss); for weighted training, not the unweighted hot path.
     */
    final Tensor perSampleDense(Tensor logits, Tensor targets) {
        Tensor t = targets.detach();
        if (labelSmoothing > 0) t = t.mul(1 - labelSmoothing).add(labelSmoothing / logits.shape(1));
        return logits.logSoftmax(1).mul(t).sum(1, false).neg();
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }

    /** The class probabilities: the softmax of the logits. */
    @Override
    public final Tensor toPrediction(Tensor outputs) {
        return outputs.softmax(-1);
    }

    @Override
    public final String name() {
        return name;
    }

    /** The class and its settings, e.g. {@code CategoricalCrossEntropy(labelSmoothing=0.1, MEAN)}. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "(labelSmoothing=" + labelSmoothing + ", " + reduction + ")";
    }
}
