package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Averages each {@code pool x pool} window of every channel. */
public final class AvgPool2D extends Pooling2D {

    public AvgPool2D(int pool) {
        this(pool, pool);
    }

    public AvgPool2D(int pool, int stride) {
        super(pool, stride);
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.avgPool2d(pool, stride, 0);
    }

    @Override
    public String type() {
        return "avgpool2d";
    }
}
