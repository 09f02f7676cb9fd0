package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** The largest value of each channel over its spatial axes: {@code [C, H, W]} (or {@code [C, L]}) samples become {@code [C]}. */
public final class GlobalMaxPool extends Layer {

    /** No settings. */
    public record Config() {
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3 && in.length != 2) {
            throw new ShapeException(describe() + ": needs [channels, height, width] or [channels, length] samples, got " + Shape.str(in));
        }
        return new int[]{in[0]};
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.globalMaxPool();
    }
}
