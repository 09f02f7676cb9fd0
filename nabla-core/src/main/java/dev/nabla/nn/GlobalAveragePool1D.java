package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * The mean of each feature over time: {@code [batch, time, features]} to {@code [batch, features]}, over the real
 * steps only when the input carries a padding mask.
 */
public final class GlobalAveragePool1D extends TimePooling {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor pool(Tensor x) {
        return x.mean(1, false);
    }

    @Override
    protected Tensor poolMasked(Tensor x, Tensor mask) {
        // an all-padding sequence divides 0 by 1: zeros, not NaN
        Tensor steps = mask.sum(1, false).maximum(Tensor.scalar(1f));
        return x.mul(mask).sum(1, false).div(steps);
    }
}
