package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * Mean absolute error {@code |prediction - target|} over all elements, like {@code torch.nn.L1Loss} (gradient 0
 * where prediction equals target). Targets have the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted
 * for one another).
 */
public final class MeanAbsoluteError extends ElementwiseLoss {

    public static final String NAME = "mae";

    public MeanAbsoluteError() {
        this(Reduction.MEAN);
    }

    public MeanAbsoluteError(Reduction reduction) {
        super(NAME, reduction);
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        return predictions.sub(targets).abs();
    }
}
