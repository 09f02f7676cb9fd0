package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** The largest value of each channel over its spatial axes: {@code [C, H, W]} (or {@code [C, L]}) samples become {@code [C]}. */
public final class GlobalMaxPool extends GlobalPooling {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.globalMaxPool();
    }
}
