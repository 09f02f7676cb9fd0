package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * Marks padding in numeric sequences, Keras' {@code Masking}: a step of {@code [batch, time, features]} whose values
 * all equal {@code mask_value} is padding. The output is the input with padded steps zeroed, carrying the padding
 * mask (see {@link Tensor#mask()}) for the recurrent, attention and pooling layers after it.
 */
public final class Masking extends Layer {

    /** @param maskValue the value that every feature of a padded step has */
    public record Config(@Default("0") float maskValue) {
    }

    private final Config config;

    public Masking() {
        this(new Config(0f));
    }

    public Masking(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 2) throw new ShapeException(describe() + ": needs [time, features] samples, got " + Shape.str(in));
        return in.clone();
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor mask = Masks.anyNotEqual(x, config.maskValue);
        if (x.mask() != null) mask = mask.mul(x.mask());
        return x.mul(Masks.expand(mask, x.rank())).withMask(mask);
    }
}
