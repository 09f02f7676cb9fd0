package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

import java.util.Map;

/** What max and average pooling share: window size, stride (default: the window size) and output shape. */
public abstract class Pooling2D extends Layer {

    protected final int pool;
    protected final int stride;

    protected Pooling2D(int pool, int stride) {
        if (pool < 1 || stride < 1) throw new IllegalArgumentException("pooling: pool and stride must be positive, got " + pool + ", " + stride);
        this.pool = pool;
        this.stride = stride;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) throw new ShapeException(describe() + ": needs [channels, height, width] samples, got " + Shape.str(in));
        if (in[1] < pool || in[2] < pool) throw new ShapeException(describe() + ": input " + Shape.str(in) + " is smaller than the pool");
        return new int[]{in[0], (in[1] - pool) / stride + 1, (in[2] - pool) / stride + 1};
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("pool", Integer.toString(pool));
        c.put("stride", Integer.toString(stride));
        return c;
    }
}
