package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Keeps the largest value of each {@code pool x pool} window of every channel. */
public final class MaxPool2D extends Pooling2D {

    public MaxPool2D(int pool) {
        this(pool, pool);
    }

    public MaxPool2D(int pool, int stride) {
        super(pool, stride);
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.maxPool2d(pool, stride, 0);
    }

    @Override
    public String type() {
        return "maxpool2d";
    }
}
