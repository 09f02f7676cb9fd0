package dev.nabla.train;

import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One training batch, inputs, targets and sample weights (null when unweighted), and how {@link Model#fit} cuts an
 * epoch into batches.
 */
record Batch(Inputs x, Tensor y, Tensor weights) {

    /** See {@link Model#shuffleOrder}. */
    static int[] shuffleOrder(int n, long seed, int epoch) {
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

    /** The batch starting at {@code start} in {@code order} (null: in order), augmented by the options' transform. */
    static Batch of(Inputs x, Tensor y, int[] order, int start, int batchSize, FitOptions options, int epoch) {
        int n = x.samples();
        int end = Math.min(n, start + batchSize);
        Tensor w = options.sampleWeights;
        Batch xy;
        if (order == null) {
            xy = new Batch(x.slice(start, end), y.slice(start, end), w == null ? null : w.slice(start, end));
        } else {
            int[] idx = Arrays.copyOfRange(order, start, end);
            xy = new Batch(x.select(idx), y.indexSelect(0, idx), w == null ? null : w.indexSelect(0, idx));
        }
        if (options.trainTransform != null) {
            SplittableRandom rng = new SplittableRandom((options.seed * 31 + epoch) * 0x9E3779B97F4A7C15L + start);
            xy = new Batch(xy.x().withFirst(options.trainTransform.apply(xy.x().tensors().get(0), rng)), xy.y(), xy.weights());
        }
        return xy;
    }
}
