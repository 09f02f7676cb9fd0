package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * Binary cross-entropy {@code -(y log p + (1 - y) log(1 - p))} for targets {@code y} in {@code [0, 1]} (usually 0 or
 * 1), elementwise over predictions of any shape (typically {@code [N]} or {@code [N, 1]}; the two are accepted for
 * one another).
 *
 * <ul>
 * <li>{@code fromLogits = true} (preferred, like {@code torch.nn.BCEWithLogitsLoss}): predictions are logits
 * {@code x}, {@code p = sigmoid(x)}, computed stably as {@code max(x, 0) - x y + log(1 + exp(-|x|))}, finite for any
 * {@code x}; the gradient is {@code sigmoid(x) - y}, also at {@code x = 0}.</li>
 * <li>{@code fromLogits = false} (like {@code torch.nn.BCELoss}): predictions are probabilities in {@code [0, 1]}
 * (e.g. after a sigmoid); each log is clamped to {@code >= -100}, so {@code p} of exactly 0 or 1 gives a finite loss,
 * and the gradient is torch's {@code (p - y) / max(p (1 - p), 1e-12)}. A prediction outside {@code [0, 1]} (or NaN)
 * throws an {@link IllegalArgumentException}.</li>
 * </ul>
 */
public final class BinaryCrossEntropy extends ElementwiseLoss {

    public static final String NAME = "binary_crossentropy";

    private static final Tensor ZERO = Tensor.scalar(0f);

    /**
     * @param reduction  how the per-element losses become one number
     * @param fromLogits whether predictions are logits (stable, preferred) rather than probabilities; false by
     *                   default, as Keras' and this class's no-argument constructor
     */
    public record Config(@Default("mean") Reduction reduction, @Default("false") boolean fromLogits) {
    }

    private final boolean fromLogits;

    /** From probabilities, as Keras' default; prefer {@code new BinaryCrossEntropy(true)} with a logit output. */
    public BinaryCrossEntropy() {
        this(false, Reduction.MEAN);
    }

    public BinaryCrossEntropy(boolean fromLogits) {
        this(fromLogits, Reduction.MEAN);
    }

    public BinaryCrossEntropy(boolean fromLogits, Reduction reduction) {
        super(NAME, reduction);
        this.fromLogits = fromLogits;
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public BinaryCrossEntropy(Config config) {
        this(config.fromLogits(), config.reduction());
    }

    @Override
    Tensor perElement(Tensor predictions, Tensor targets) {
        return fromLogits ? fromLogits(predictions, targets) : ProbabilityBce.apply(predictions, targets);
    }

    /**
     * {@code max(x, 0) - x y + log(1 + exp(-|x|))}. The maximum splits its gradient on ties, which makes the gradient
     * at {@code x = 0} the right {@code 1/2 - y} (a relu there would give {@code -y}).
     */
    private static Tensor fromLogits(Tensor x, Tensor y) {
        Tensor softplusTail = x.abs().neg().exp().add(1f).log();
        return x.maximum(ZERO).sub(x.mul(y)).add(softplusTail);
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    /** Probabilities: the sigmoid of the logits when {@code fromLogits}, else the outputs themselves. */
    @Override
    public Tensor toPrediction(Tensor outputs) {
        return fromLogits ? outputs.sigmoid() : outputs;
    }

    @Override
    public String toString() {
        return "BinaryCrossEntropy(fromLogits=" + fromLogits + ", " + reduction() + ")";
    }

    @Override
    public Config config() {
        return new Config(reduction(), fromLogits);
    }
}
