package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Mean squared error {@code (prediction - target)^2} over all elements, like {@code torch.nn.MSELoss}. Targets have
 * the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted for one another); other shapes throw a
 * {@link dev.nabla.tensor.ShapeException} instead of broadcasting.
 */
public final class MeanSquaredError implements Loss {

    public static final String NAME = "mse";

    private final Reduction reduction;

    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    public MeanSquaredError(Reduction reduction) {
        this.reduction = LossChecks.reduction(NAME, reduction);
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        Tensor t = LossChecks.elementwiseTargets(NAME, predictions, targets);
        return reduction.apply(predictions.sub(t).square());
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
        return "MeanSquaredError(" + reduction + ")";
    }

    @Override
    public java.util.Map<String, String> config() {
        return java.util.Map.of("reduction", reduction.name());
    }
}
