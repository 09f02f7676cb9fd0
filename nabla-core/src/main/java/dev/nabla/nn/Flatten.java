package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Turns each sample into a vector: {@code [batch, a, b, c]} becomes {@code [batch, a*b*c]}. */
public final class Flatten extends Layer {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    public int[] outputShape(int[] in) {
        return new int[]{Shape.size(in)};
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.reshape(x.shape(0), -1);
    }
}
