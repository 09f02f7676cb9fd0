package dev.nabla.train;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.GlobalAveragePool1D;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.PositionEmbedding;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * After warm-up, a training step of the benchmark's {@code mlp} (784-256-128-10, batch 128, SGD with momentum)
 * allocates almost nothing on the training thread: its activations and gradients, about 1.5 MB a step, come from
 * the step before ({@code tensor.StepArena}); what is left are small objects (tensor headers, graph nodes), measured
 * at about 15 KB a step. The same holds for a transformer block (the {@code vit} benchmark's, at batch 64): its
 * attention and layer norms take their rows from the arena too (5.8 MB a step before, 118-137 KB after). The
 * batches themselves are made on the loader's thread and are not counted.
 */
class StepAllocationTest {

    private static final int BATCH = 128;
    private static final int STEPS = 20;
    /** Well above the ~15 KB measured, far below the 1.5 MB of arrays one step would allocate afresh. */
    private static final long LIMIT_BYTES = 96 * 1024;
    /** About twice the 118-137 KB a transformer step measured, far below the 5.8 MB it allocated before. */
    private static final long TRANSFORMER_LIMIT_BYTES = 256 * 1024;

    @Test
    void aStepAfterWarmUpAllocatesAlmostNothingOnTheTrainingThread() {
        Model model = new Model(new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(10)).seed(1));
        long best = bytesPerStep(model, p -> new Sgd(p, 0.05f, 0.9), BATCH, 784);
        assertTrue(best < LIMIT_BYTES, "a training step allocated " + best + " bytes after warm-up");
    }

    @Test
    void aTransformerStepAfterWarmUpAllocatesAlmostNothingOnTheTrainingThread() {
        Model model = new Model(new Sequential(new Dense(64), new PositionEmbedding(16),
                new TransformerEncoder(new TransformerEncoder.Config(4, 128, 0f, Activation.GELU, true, 1e-5f)),
                new GlobalAveragePool1D(), new LayerNorm(), new Dense(10)).seed(1));
        long best = bytesPerStep(model, p -> new AdamW(p, 1e-3f, 0.01), 64, 16, 49);
        assertTrue(best < TRANSFORMER_LIMIT_BYTES, "a transformer training step allocated " + best + " bytes after warm-up");
    }

    /** The fewest bytes the training thread allocated per step in the last two of four epochs of {@code STEPS} steps. */
    private static long bytesPerStep(Model model, OptimizerFactory optimizer, int batch, int... sample) {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM does not count allocated bytes per thread");
        var counter = (com.sun.management.ThreadMXBean) threads;
        int n = batch * STEPS;
        int per = 1;
        for (int d : sample) per *= d;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * per];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        int[] shape = new int[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        model.compile(optimizer, new SparseCategoricalCrossEntropy(), new Accuracy());
        long[] perStep = new long[4];
        Callback meter = new Callback() {
            private long before;
            private int steps;

            @Override
            public void onEpochBegin(int epoch, TrainingContext context) {
                steps = 0;
                before = counter.getCurrentThreadAllocatedBytes();
            }

            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                steps++;
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
                perStep[epoch - 1] = (counter.getCurrentThreadAllocatedBytes() - before) / steps;
            }
        };
        model.fit(Tensor.wrap(x, shape), Tensor.wrap(y, n), new FitOptions().epochs(4).batchSize(batch).seed(1)
                .callbacks(meter));
        System.out.println("bytes per step, by epoch: " + java.util.Arrays.toString(perStep));
        return Math.min(perStep[2], perStep[3]);
    }
}
