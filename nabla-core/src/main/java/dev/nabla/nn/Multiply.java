package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** The element-wise product of its inputs (gating): Keras' {@code Multiply}. */
public final class Multiply extends Merge {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    protected Tensor combine(Tensor a, Tensor b) {
        return a.mul(b);
    }
}
