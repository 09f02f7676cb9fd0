package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Adds the fixed sinusoidal position code of "Attention is all you need" to a sequence {@code [batch, T, E]}:
 * {@code pe[t, 2i] = sin(t / w^(2i/E))}, {@code pe[t, 2i+1] = cos(t / w^(2i/E))} with {@code w = max_wavelength}
 * (10000 in the paper). No weights.
 */
public final class SinusoidalPosition extends Layer {

    /** @param maxWavelength the longest wavelength, {@code w} above */
    public record Config(@Default("10000") float maxWavelength) {
        public Config {
            if (!(maxWavelength > 0) || !Float.isFinite(maxWavelength)) {
                throw new IllegalArgumentException("max_wavelength must be positive, got " + maxWavelength);
            }
        }
    }

    private final Config config;
    /** The code for the shape seen last: the same every call, so it is made once. */
    private Tensor code;

    public SinusoidalPosition() {
        this(new Config(10000f));
    }

    public SinusoidalPosition(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) throw new ShapeException(describe() + ": needs sequences [batch, time, features], got per-sample shape " + Shape.str(in));
        return in.clone();
    }

    /** The {@code [steps, features]} code added to every sample. */
    public static Tensor code(int steps, int features, double maxWavelength) {
        float[] pe = new float[steps * features];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < features; c++) {
                double angle = t / Math.pow(maxWavelength, (c - c % 2) / (double) features);
                pe[t * features + c] = (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return Tensor.wrap(pe, steps, features);
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor c = code;
        if (c == null || c.shape(0) != x.shape(1) || c.shape(1) != x.shape(2)) {
            c = code(x.shape(1), x.shape(2), config.maxWavelength);
            code = c;
        }
        return x.add(c);
    }

    /** Each step stays in its place: a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }
}
