package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * Huber loss, like {@code torch.nn.HuberLoss}: with {@code d = |prediction - target|}, {@code 0.5 d^2} where
 * {@code d < delta} and {@code delta (d - 0.5 delta)} elsewhere; quadratic near zero, linear (robust to outliers)
 * beyond {@code delta}. Targets have the predictions' shape ({@code [N]} and {@code [N, 1]} are accepted for one
 * another).
 */
public final class Huber extends ElementwiseLoss {

    public static final String NAME = "huber";

    /**
     * @param reduction how the per-element losses become one number
     * @param delta     where the loss turns from quadratic to linear (positive)
     */
    public record Config(@Default("mean") Reduction reduction, @Default("1.0") float delta) {
    }

    private final float delta;

    public Huber() {
        this(1f, Reduction.MEAN);
    }

    public Huber(float delta) {
        this(delta, Reduction.MEAN);
    }

    public Huber(float delta, Reduction reduction) {
        super(NAME, reduction);
        if (!(delta > 0f) || Float.isInfinite(delta)) {
            throw new IllegalArgumentException(NAME + ": delta must be positive and finite, got " + delta);
        }
        this.delta = delta;
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Huber(Config config) {
        this(config.delta(), config.reduction());
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        Tensor d = predictions.sub(targets).abs();
        // q = min(d, delta): q * (d - q/2) is d^2/2 below delta and delta * (d - delta/2) above, with gradient
        // q * sign(prediction - target) on both sides (the min's own gradient cancels: d/dq of q*d - q^2/2 is d - q)
        Tensor q = d.minimum(Tensor.scalar(delta));
        return q.mul(d.sub(q.mul(0.5f)));
    }

    public float delta() {
        return delta;
    }

    @Override
    public String toString() {
        return "Huber(delta=" + delta + ", " + reduction() + ")";
    }

    @Override
    public Config config() {
        return new Config(reduction(), delta);
    }
}
