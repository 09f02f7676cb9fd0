package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Zeroes a fraction {@code rate} of activations during training (scaling the rest up), and does nothing at inference.
 * Masks come from a generator seeded at build time and, during {@code fit}, reseeded every step, so seeded runs and
 * resumed runs draw the same masks.
 */
public final class Dropout extends Layer implements StepSeeded {

    private final float rate;
    private RandomGenerator rng = new SplittableRandom(0);

    public Dropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout: rate must be in [0, 1), got " + rate);
        this.rate = rate;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected void build(int[] inputShape, RandomGenerator init) {
        rng = new SplittableRandom(init.nextLong());
    }

    @Override
    public void seedStep(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    protected Tensor call(Tensor x) {
        return isTraining() ? x.dropout(rate, rng) : x;
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("rate", Float.toString(rate));
        return c;
    }
}
