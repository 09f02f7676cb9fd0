package dev.nabla.train;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Predictions never touch shared state: a loaded model starts in inference mode and serves several threads alike. */
class ConcurrentPredictTest {

    @TempDir
    Path dir;

    @Test
    void aLoadedModelWithBatchNormAndDropoutPredictsTheSameFromEightThreads() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 200, 6);
        float[] labels = new float[200];
        for (int i = 0; i < labels.length; i++) labels[i] = x.get(i, 0) + x.get(i, 1) > 0 ? 1 : 0;
        Tensor y = Tensor.of(labels);
        Model model = new Model(new Sequential(new Dense(16, Activation.RELU), new BatchNorm(), new Dropout(0.5f), new Dense(2)).seed(1));
        model.compile(p -> new Adam(p, 1e-2f), new SparseCategoricalCrossEntropy());
        model.fit(x, y, new FitOptions().epochs(2).batchSize(32).seed(1));
        Path file = dir.resolve("m.nabla");
        model.save(file);

        Model loaded = Model.load(file);
        assertFalse(loaded.network().isTraining(), "a loaded model starts in inference mode");
        Map<String, float[]> buffersBefore = buffers(loaded);
        float[] expected = loaded.predict(x).toArray();
        loaded.network().train(true); // as while another thread trains it: predictions must not care
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) results.add(pool.submit(() -> loaded.predict(x.slice(0, 200), 25).toArray()));
            for (Future<float[]> r : results) assertArrayEquals(expected, r.get(), "a prediction from another thread");
        } finally {
            pool.shutdownNow();
        }
        Map<String, float[]> buffersAfter = buffers(loaded);
        for (var e : buffersBefore.entrySet()) {
            assertArrayEquals(e.getValue(), buffersAfter.get(e.getKey()), "predicting changed " + e.getKey());
        }
    }

    private static Map<String, float[]> buffers(Model m) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (var e : m.network().namedBuffers().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }
}
