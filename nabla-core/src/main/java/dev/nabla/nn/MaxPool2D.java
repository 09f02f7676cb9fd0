package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.MaxPool2d;
import dev.nabla.tensor.Tensor;

/** Keeps the largest value of each window of every channel. */
public final class MaxPool2D extends Pooling2D {

    public record Config(@Default("2") int[] poolSize, @Default("null") int[] strides, @Default("valid") Padding padding)
            implements Settings {
        public Config {
            Conv2D.pair(poolSize, "pool_size");
            if (strides != null) Conv2D.pair(strides, "strides");
        }
    }

    public MaxPool2D(int pool) {
        this(pool, pool);
    }

    public MaxPool2D(int pool, int stride) {
        this(new Config(new int[]{pool}, new int[]{stride}, Padding.VALID));
    }

    public MaxPool2D(Config config) {
        super(config);
    }

    @Override
    public Config config() {
        return (Config) settings;
    }

    @Override
    protected Tensor call(Tensor x) {
        return MaxPool2d.apply(x, kernel, stride, padding(x.shape(2), x.shape(3)));
    }

    /** Whether this pooling is unpadded (what the fused convolution-pooling op takes). */
    boolean unpadded() {
        return settings.padding().equals(Padding.VALID);
    }

    int[] kernel() {
        return kernel.clone();
    }

    int[] stride() {
        return stride.clone();
    }
}
