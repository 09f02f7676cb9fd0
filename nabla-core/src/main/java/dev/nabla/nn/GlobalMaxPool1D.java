package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * The maximum of each feature over time: {@code [batch, time, features]} to {@code [batch, features]}, over the real
 * steps only when the input carries a padding mask (on ties the gradient goes to the first maximum).
 */
public final class GlobalMaxPool1D extends TimePooling {

    /** Far below any activation, so a padded step never wins; finite, so that it times zero stays zero. */
    private static final float PADDING_VALUE = -1e30f;

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor pool(Tensor x) {
        return x.max(1, false);
    }

    @Override
    protected Tensor poolMasked(Tensor x, Tensor mask) {
        Tensor hidden = x.mul(mask).add(mask.sub(1f).mul(-PADDING_VALUE));
        Tensor anyReal = mask.max(1, false);
        return hidden.max(1, false).mul(anyReal);
    }
}
