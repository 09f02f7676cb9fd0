package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** The element-wise sum of its inputs (a residual connection): Keras' {@code Add}. */
public final class Add extends Merge {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor combine(Tensor a, Tensor b) {
        return a.add(b);
    }
}
