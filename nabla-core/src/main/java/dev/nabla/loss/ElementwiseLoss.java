package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Shared plumbing of the losses computed element by element and then reduced ({@link MeanSquaredError},
 * {@link MeanAbsoluteError}, {@link Huber}, {@link BinaryCrossEntropy}): targets in the predictions' shape as
 * {@link LossChecks#elementwiseTargets} accepts them, a {@link Reduction}, the name. Subclasses write the per-element
 * loss.
 */
abstract class ElementwiseLoss implements Loss {

    private final String name;
    private final Reduction reduction;

    ElementwiseLoss(String name, Reduction reduction) {
        this.name = name;
        this.reduction = LossChecks.reduction(name, reduction);
    }

    /** The unreduced loss of each element; {@code targets} already have the predictions' shape. */
    abstract Tensor perElement(Tensor predictions, Tensor targets);

    @Override
    public final Tensor compute(Tensor predictions, Tensor targets) {
        Tensor t = LossChecks.elementwiseTargets(name, predictions, targets);
        return reduction.apply(perElement(predictions, t));
    }

    /** Each sample's loss: the mean of its elements' losses (their sum when the reduction is a sum). */
    @Override
    public final Tensor perSample(Tensor predictions, Tensor targets) {
        Tensor t = LossChecks.elementwiseTargets(name, predictions, targets);
        Tensor e = perElement(predictions, t);
        if (e.rank() == 1) return e;
        Tensor rows = e.reshape(e.shape(0), -1);
        return reduction == Reduction.MEAN ? rows.mean(1, false) : rows.sum(1, false);
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The class and its settings, e.g. {@code MeanSquaredError(MEAN)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + reduction + ")";
    }
}
