package dev.nabla.train;

import dev.nabla.dataset.ExampleSpec;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.distributed.Ring;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel {@code fit} on two ranks (threads, each with a TCP ring collective on loopback): two ranks with
 * batches of B learn the weights one process learns with batches of 2B, within float rounding (the gradient of a mean
 * over 2B rows against the weighted mean of two means over B rows), and the ranks hold the same bits.
 */
class DataParallelFitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /**
     * Weights of about 0.1-1 after 4 epochs (52 steps): the two gradients differ in their last bits, step after step;
     * measured at most 1.2e-7 (one float step near 1), allowed 8 such steps.
     */
    private static final double TOLERANCE = 1e-6;

    private record Run(float[] weights, float[] buffers, double[] loss, double[] accuracy) {
    }

    @Test
    void sgdOnTwoRanksOfBatch8IsOneProcessOfBatch16() throws Exception {
        // 203 samples: shards of 102 and 101, the last step has 11 rows, 6 and 5 per rank
        compare(p -> new Sgd(p, 0.1f), 203, 8, null);
    }

    @Test
    void adamOnTwoRanksIsOneProcessOfTheDoubleBatch() throws Exception {
        compare(p -> new Adam(p, 0.01f), 203, 8, null);
    }

    @Test
    void sampleWeightsAndALastBatchSmallerThanTheRanksCountAsInOneProcess() throws Exception {
        // 33 samples, shards of 17 and 16 in batches of 8: the third step has one row, rank 0's; rank 1's shard has
        // no batch left, and it joins the step with none
        float[] w = new float[33];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble(0.2, 3);
        compare(p -> new Sgd(p, 0.1f), 33, 8, Tensor.wrap(w, 33));
    }

    @Test
    void aStreamIsShardedByRecordAndTwoRanksAreOneProcessOfTheDoubleBatch() throws Exception {
        // unshuffled, so rank r's batch b is records 16b + r, 16b + r + 2, ...: the one process's batch b
        Tensor[] data = ModelTest.blobs(203, 1);
        TensorDataset rows = new TensorDataset(List.of(data[0]), data[1], null);
        StreamDataset stream = new StreamDataset() {
            @Override
            public ExampleSpec spec() {
                return rows.spec();
            }

            @Override
            public long size() {
                return -1;   // as a CSV file read row by row: the ranks learn the end of the pass from the all-reduce
            }

            @Override
            public Records open() {
                return new Records() {
                    int next;

                    @Override
                    public Record next() {
                        int i = next++;
                        return i < rows.size() ? () -> rows.get(i) : null;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        java.util.function.BiFunction<Integer, dev.nabla.distributed.Collective, float[]> fit = (batch, c) -> {
            Model model = new Model(network(null));
            model.compile(p -> new Sgd(p, 0.1f), new SparseCategoricalCrossEntropy(), new Accuracy());
            model.fit(stream, new FitOptions().epochs(3).batchSize(batch).seed(3).shuffle(false).workers(0).collective(c));
            assertEquals(3, model.epochsDone());
            return flat(model.network().parameters());
        };
        float[] one = fit.apply(16, null);
        List<float[]> ranks = Ring.run(2, TIMEOUT, c -> fit.apply(8, c));
        assertArrayEquals(ranks.get(0), ranks.get(1));
        double worst = 0;
        for (int i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - ranks.get(0)[i]));
        assertTrue(worst <= TOLERANCE, "largest weight difference " + worst);
        float[] start = flat(network(null).build(4).parameters());
        double moved = 0;
        for (int i = 0; i < one.length; i++) moved = Math.max(moved, Math.abs(one[i] - start[i]));
        assertTrue(moved > 100 * TOLERANCE, "weights moved by " + moved);
    }

    @Test
    void batchNormRunningStatisticsAreAveragedAndTheRanksStayIdentical() throws Exception {
        Tensor[] data = ModelTest.blobs(128, 1);
        List<Run> ranks = Ring.run(2, TIMEOUT, c -> fit(new BatchNorm(), p -> new Sgd(p, 0.1f), data, 8, null, c));
        assertArrayEquals(ranks.get(0).weights(), ranks.get(1).weights());
        assertArrayEquals(ranks.get(0).buffers(), ranks.get(1).buffers());
        // the running mean of the 16 pre-activations went from 0 towards their mean: not left at its initial value
        float[] running = ranks.get(0).buffers();
        double moved = 0;
        for (int i = 0; i < 16; i++) moved += Math.abs(running[i]);
        assertTrue(moved > 0.1, "running mean " + moved);
    }

    @Test
    void aStopAskedByOneRankStopsAllAfterTheSameBatch() throws Exception {
        Tensor[] data = ModelTest.blobs(203, 1);
        int[][] seen = new int[2][2];
        List<float[]> weights = Ring.run(2, TIMEOUT, c -> {
            Model model = new Model(network(null));
            model.compile(p -> new Sgd(p, 0.1f), new SparseCategoricalCrossEntropy(), new Accuracy());
            Callback stopper = new Callback() {
                @Override
                public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                    // as Ctrl-C reaching one worker only: rank 1 asks after batch 3 of epoch 2
                    if (context.rank() == 1 && epoch == 2 && batch == 3) context.stopAfterBatch();
                    seen[context.rank()] = new int[]{epoch, batch};
                }
            };
            model.fit(data[0], data[1], new FitOptions().epochs(4).batchSize(8).seed(3).collective(c).callbacks(stopper));
            assertEquals(1, model.epochsDone(), "the cut-short epoch is not counted");
            return flat(model.network().parameters());
        });
        // the request went with batch 4's all-reduce: both ranks stopped after it
        assertArrayEquals(new int[]{2, 4}, seen[0]);
        assertArrayEquals(new int[]{2, 4}, seen[1]);
        assertArrayEquals(weights.get(0), weights.get(1));
    }

    private static void compare(OptimizerFactory optimizer, int n, int batch, Tensor weights) throws Exception {
        Tensor[] data = ModelTest.blobs(n, 1);
        Run one = fit(null, optimizer, data, 2 * batch, weights, null);
        List<Run> ranks = Ring.run(2, TIMEOUT, c -> fit(null, optimizer, data, batch, weights, c));
        assertArrayEquals(ranks.get(0).weights(), ranks.get(1).weights(), "the ranks hold the same bits");
        assertArrayEquals(ranks.get(0).loss(), ranks.get(1).loss(), "and log the same losses");
        float[] a = one.weights();
        float[] b = ranks.get(0).weights();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst <= TOLERANCE, "largest weight difference " + worst);
        for (int e = 0; e < one.loss().length; e++) {
            // a weighted epoch loss is the rows-weighted mean of batch means, which depends on the batches' cut
            if (weights == null) assertEquals(one.loss()[e], ranks.get(0).loss()[e], 1e-5, "loss of epoch " + (e + 1));
            assertEquals(one.accuracy()[e], ranks.get(0).accuracy()[e], 1e-6, "accuracy of epoch " + (e + 1));
        }
        // and the training did something: the weights moved from where they started
        float[] start = flat(network(null).build(4).parameters());
        double moved = 0;
        for (int i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - start[i]));
        assertTrue(moved > 100 * TOLERANCE, "weights moved by " + moved);
    }

    private static Run fit(Module norm, OptimizerFactory optimizer, Tensor[] data, int batch, Tensor weights,
                           dev.nabla.distributed.Collective collective) {
        Model model = new Model(network(norm));
        model.compile(optimizer, new SparseCategoricalCrossEntropy(), new Accuracy());
        FitOptions options = new FitOptions().epochs(4).batchSize(batch).seed(3).collective(collective);
        if (weights != null) options.sampleWeights(weights);
        History h = model.fit(data[0], data[1], options);
        return new Run(flat(model.network().parameters()), flat(new ArrayList<>(model.network().namedBuffers().values())),
                h.values("loss"), h.values("accuracy"));
    }

    private static Sequential network(Module norm) {
        return (norm == null ? new Sequential(new Dense(16, Activation.RELU), new Dense(3))
                : new Sequential(new Dense(16), norm, new Dense(3))).seed(5);
    }

    private static float[] flat(List<Tensor> tensors) {
        int n = 0;
        for (Tensor t : tensors) n += t.size();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : tensors) {
            System.arraycopy(t.toArray(), 0, out, at, t.size());
            at += t.size();
        }
        return out;
    }
}
