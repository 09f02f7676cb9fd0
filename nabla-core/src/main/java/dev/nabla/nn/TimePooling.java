package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * What pooling over time shares: {@code [batch, time, features]} sequences become {@code [batch, features]}, padded
 * steps (the input's {@link Tensor#mask()}) left out, like Keras' {@code GlobalAveragePooling1D} with a mask.
 */
public abstract class TimePooling extends Layer {

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) {
            throw new ShapeException(describe() + ": needs [batch, time, features] sequences, got samples of shape "
                    + Shape.str(in));
        }
        return new int[]{in[1]};
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    protected final Tensor call(Tensor x) {
        Tensor mask = x.mask();
        return mask == null ? pool(x) : poolMasked(x, Masks.expand(mask, 3));
    }

    /** Pools {@code [batch, time, features]} over every step. */
    protected abstract Tensor pool(Tensor x);

    /** Pools over the steps where {@code mask [batch, time, 1]} is 1; a sequence without real steps gives zeros. */
    protected abstract Tensor poolMasked(Tensor x, Tensor mask);
}
