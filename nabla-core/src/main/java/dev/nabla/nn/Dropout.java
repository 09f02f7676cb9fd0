package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Zeroes a fraction {@code rate} of activations during training (scaling the rest up), and does nothing at inference.
 * Masks come from a generator seeded at build time and, during {@code fit}, reseeded every step, so seeded runs and
 * resumed runs draw the same masks.
 */
public final class Dropout extends Layer implements StepSeeded {

    /** @param rate the fraction of activations zeroed, in [0, 1) */
    public record Config(float rate) {
        public Config {
            if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
        }
    }

    private final float rate;
    private RandomGenerator rng = new SplittableRandom(0);

    public Dropout(float rate) {
        this(new Config(rate));
    }

    public Dropout(Config config) {
        this.rate = config.rate();
    }

    @Override
    public Config config() {
        return new Config(rate);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected void build(int[] inputShape) {
        rng = new SplittableRandom(random("mask").nextLong());
    }

    @Override
    public void seedStep(long seed) {
        rng = new SplittableRandom(seed);
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
        return isTraining() ? x.dropout(rate, rng) : x;
    }


}
