package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** Averages each channel over height and width: {@code [C, H, W]} samples become {@code [C]}. */
public final class GlobalAveragePool extends Layer {

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) throw new ShapeException("global_avgpool: needs [channels, height, width] samples, got " + Shape.str(in));
        return new int[]{in[0]};
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.mean(new int[]{2, 3}, false);
    }

    @Override
    public String type() {
        return "global_avgpool";
    }
}
