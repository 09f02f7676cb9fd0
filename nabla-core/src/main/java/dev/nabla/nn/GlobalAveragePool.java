package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Averages each channel over its spatial axes: {@code [C, H, W]} (or {@code [C, L]}) samples become {@code [C]}. */
public final class GlobalAveragePool extends GlobalPooling {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.rank() == 4 ? x.mean(new int[]{2, 3}, false) : x.mean(new int[]{2}, false);
    }
}
