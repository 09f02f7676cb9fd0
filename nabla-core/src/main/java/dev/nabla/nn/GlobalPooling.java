package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

/** What global average and max pooling share: {@code [C, H, W]} or {@code [C, L]} samples become {@code [C]}. */
public abstract class GlobalPooling extends Layer {

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3 && in.length != 2) {
            throw new ShapeException(describe() + ": needs [channels, height, width] or [channels, length] samples, got " + Shape.str(in));
        }
        return new int[]{in[0]};
    }
}
