package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Mean squared error {@code (prediction - target)^2} over all elements, like {@code torch.nn.MSELoss}. Targets have
 * the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted for one another); other shapes throw a
 * {@link dev.nabla.tensor.ShapeException} instead of broadcasting.
 */
public final class MeanSquaredError extends ElementwiseLoss {

    public static final String NAME = "mse";

    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    public MeanSquaredError(Reduction reduction) {
        super(NAME, reduction);
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        return predictions.sub(targets).square();
    }
}
