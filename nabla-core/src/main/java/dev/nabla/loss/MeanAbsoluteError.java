package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Mean absolute error {@code |prediction - target|} over all elements, like {@code torch.nn.L1Loss} (gradient 0
 * where prediction equals target). Targets have the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted
 * for one another).
 */
public final class MeanAbsoluteError implements Loss {

    public static final String NAME = "mae";

    private final Reduction reduction;

    public MeanAbsoluteError() {
        this(Reduction.MEAN);
    }

    public MeanAbsoluteError(Reduction reduction) {
        this.reduction = LossChecks.reduction(NAME, reduction);
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        Tensor t = LossChecks.elementwiseTargets(NAME, predictions, targets);
        return reduction.apply(predictions.sub(t).abs());
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "MeanAbsoluteError(" + reduction + ")";
    }

    @Override
    public java.util.Map<String, String> config() {
        return java.util.Map.of("reduction", reduction.name());
    }
}
