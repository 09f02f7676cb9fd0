package dev.nabla.dataset;

import java.util.SplittableRandom;

/** The seeded orders a {@link DataLoader} visits data in. */
public final class Shuffle {

    private Shuffle() {
    }

    /**
     * The order of {@code n} examples in {@code epoch} (counted from 1 over a model's life) for {@code seed}: a
     * Fisher-Yates permutation of {@code [0, n)} that depends only on these, so a resumed run reshuffles alike and
     * another program can replay the same batches.
     */
    public static int[] permutation(int n, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The generator of a stream's shuffle buffer in {@code epoch}. */
    static SplittableRandom streamRandom(long seed, int epoch) {
        return new SplittableRandom((seed ^ 0x5DEECE66DL) * 0x9E3779B97F4A7C15L + epoch);
    }

    /** The generator of the augmentation of the batch starting at example {@code start} of {@code epoch}. */
    static SplittableRandom batchRandom(long seed, int epoch, long start) {
        return new SplittableRandom((seed * 31 + epoch) * 0x9E3779B97F4A7C15L + start);
    }
}
