package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by {@code 1 / (1 - p)}, so
 * the expected value is unchanged and inference needs no rescaling. The mask is a constant, so the gradient is the
 * same mask applied to the output gradient (through {@link Mul}).
 */
public final class Dropout {

    private Dropout() {
    }

    public static Tensor apply(Tensor x, float p, RandomGenerator rng) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        if (p == 0f) return x;
        return x.mul(mask(x.shape(), p, rng));
    }

    /** A mask of {@code 0} (probability p) and {@code 1 / (1 - p)} values. */
    public static Tensor mask(int[] shape, float p, RandomGenerator rng) {
        Tensor mask = Tensor.zeros(shape);
        float[] d = mask.data();
        float keep = 1f / (1f - p);
        for (int i = 0; i < d.length; i++) d[i] = rng.nextFloat() >= p ? keep : 0f;
        return mask;
    }
}
