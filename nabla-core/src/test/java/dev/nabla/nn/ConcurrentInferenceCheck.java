package dev.nabla.nn;

import dev.nabla.autograd.GradMode;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LayerCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The layer harness's concurrency check: with the shared flag left in training mode, threads in
 * {@link InferenceMode} all compute the single-threaded inference output, and no buffer (running statistics)
 * changes, so that serving predictions from several threads never disturbs the model or one another.
 */
final class ConcurrentInferenceCheck {

    private static final int THREADS = 6;
    private static final int ROUNDS = 8;

    private ConcurrentInferenceCheck() {
    }

    static void inferenceFromSeveralThreads(LayerCase c, long seed, int batch) throws Exception {
        Module network = c.build(seed).network();
        Tensor[] x = c.inputs(seed, batch);
        network.train(false);
        float[] expected = forward(network, x);
        Map<String, float[]> buffers = snapshot(network);
        network.train(true); // what a model being trained on another thread looks like
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < THREADS * ROUNDS; i++) {
                results.add(pool.submit(() -> {
                    try (var inference = InferenceMode.enter()) {
                        return forward(network, x);
                    }
                }));
            }
            for (Future<float[]> r : results) assertArrayEquals(expected, r.get(), c + ": inference on several threads");
        } finally {
            pool.shutdownNow();
        }
        Map<String, float[]> after = snapshot(network);
        for (var e : buffers.entrySet()) assertArrayEquals(e.getValue(), after.get(e.getKey()), c + ": inference changed " + e.getKey());
    }

    private static float[] forward(Module network, Tensor[] x) {
        try (var noGrad = GradMode.noGrad()) {
            return network.forward(List.of(x)).toArray();
        }
    }

    private static Map<String, float[]> snapshot(Module network) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (var e : network.namedBuffers().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        for (var e : network.namedParameters().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }
}
