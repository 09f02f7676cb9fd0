package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.AvgPool2d;
import dev.nabla.tensor.Tensor;

/** Averages each window of every channel (padding counts as zeros, like PyTorch's default). */
public final class AvgPool2D extends Pooling2D {

    public record Config(@Default("2") int[] poolSize, @Default("null") int[] strides, @Default("valid") Padding padding)
            implements Settings {
        public Config {
            Conv2D.pair(poolSize, "pool_size");
            if (strides != null) Conv2D.pair(strides, "strides");
        }
    }

    public AvgPool2D(int pool) {
        this(pool, pool);
    }

    public AvgPool2D(int pool, int stride) {
        this(new Config(new int[]{pool}, new int[]{stride}, Padding.VALID));
    }

    public AvgPool2D(Config config) {
        super(config);
    }

    @Override
    public Config config() {
        return (Config) settings;
    }

    @Override
    protected Tensor call(Tensor x) {
        return AvgPool2d.apply(x, kernel, stride, padding(x.shape(2), x.shape(3)));
    }
}
