package dev.nabla.train;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
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
 * at about 15 KB a step. The batches themselves are made on the loader's thread and are not counted.
 */
class StepAllocationTest {

    private static final int BATCH = 128;
    private static final int STEPS = 20;
    /** Well above the ~15 KB measured, far below the 1.5 MB of arrays one step would allocate afresh. */
    private static final long LIMIT_BYTES = 96 * 1024;

    @Test
    void aStepAfterWarmUpAllocatesAlmostNothingOnTheTrainingThread() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM does not count allocated bytes per thread");
        var counter = (com.sun.management.ThreadMXBean) threads;
        int n = BATCH * STEPS;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * 784];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        Model model = new Model(new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(10)).seed(1));
        model.compile(p -> new Sgd(p, 0.05f, 0.9), new SparseCategoricalCrossEntropy(), new Accuracy());
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
        model.fit(Tensor.wrap(x, n, 784), Tensor.wrap(y, n), new FitOptions().epochs(4).batchSize(BATCH).seed(1)
                .callbacks(meter));
        long best = Math.min(perStep[2], perStep[3]);
        assertTrue(best < LIMIT_BYTES, "a training step allocated " + best + " bytes after warm-up (epochs: "
                + java.util.Arrays.toString(perStep) + ")");
    }
}
