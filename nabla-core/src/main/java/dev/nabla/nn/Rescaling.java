package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * {@code x * scale + offset}, Keras' preprocessing layer {@code Rescaling}: e.g. {@code scale = 1/255} makes a model
 * take 0..255 pixel values. The arithmetic is done in double precision and rounded once.
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

    /** Keeps every step in its place (it works per element or along the last axis), so a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /** No weights tied to the shape: any length and any rank. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return true;
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.requiresGrad()) {
            // a gradient to the input is rare (inputs are data), so the simple composed ops serve it
            Tensor scaled = config.scale == 1 ? x : x.mul((float) config.scale);
            return config.offset == 0 ? scaled : scaled.add((float) config.offset);
        }
        // in double precision, rounded once: Rescaling(1 / 255.0) of the whole numbers 0..255 gives exactly v / 255f,
        // the pixels of a loader that scales them itself
        float[] v = x.contiguous().toArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * config.scale + config.offset);
        return Tensor.wrap(v, x.shape());
    }
}
