package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * Mean squared error {@code (prediction - target)^2} over all elements, like {@code torch.nn.MSELoss}. Targets have
 * the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted for one another); other shapes throw a
 * {@link dev.nabla.tensor.ShapeException} instead of broadcasting.
 */
public final class MeanSquaredError extends ElementwiseLoss {

    public static final String NAME = "mse";

    /** @param reduction how the per-element losses become one number */
    public record Config(@Default("mean") Reduction reduction) {
    }

    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    public MeanSquaredError(Reduction reduction) {
        super(NAME, reduction);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public MeanSquaredError(Config config) {
        this(config.reduction());
    }

    @Override
    public Config config() {
        return new Config(reduction());
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        return predictions.sub(targets).square();
    }
}
