package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * Mean absolute error {@code |prediction - target|} over all elements, like {@code torch.nn.L1Loss} (gradient 0
 * where prediction equals target). Targets have the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted
 * for one another).
 */
public final class MeanAbsoluteError extends ElementwiseLoss {

    public static final String NAME = "mae";

    /** @param reduction how the per-element losses become one number */
    public record Config(@Default("mean") Reduction reduction) {
    }

    public MeanAbsoluteError() {
        this(Reduction.MEAN);
    }

    public MeanAbsoluteError(Reduction reduction) {
        super(NAME, reduction);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public MeanAbsoluteError(Config config) {
        this(config.reduction());
    }

    @Override
    public Config config() {
        return new Config(reduction());
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        return predictions.sub(targets).abs();
    }
}
