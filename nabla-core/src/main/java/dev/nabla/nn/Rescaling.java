package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * {@code x * scale + offset}, Keras' preprocessing layer {@code Rescaling}: e.g. {@code scale = 1/255} makes a model
 * take 0..255 pixel values.
 */
public final class Rescaling extends Layer {

    public record Config(double scale, @Default("0") double offset) {
        public Config {
            if (!Double.isFinite(scale) || !Double.isFinite(offset)) throw new IllegalArgumentException("scale and offset must be finite");
        }
    }

    private final Config config;

    public Rescaling(Config config) {
        this.config = config;
    }

    public Rescaling(double scale, double offset) {
        this(new Config(scale, offset));
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor scaled = config.scale == 1 ? x : x.mul((float) config.scale);
        return config.offset == 0 ? scaled : scaled.add((float) config.offset);
    }
}
