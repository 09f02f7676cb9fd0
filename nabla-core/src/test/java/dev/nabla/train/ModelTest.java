package dev.nabla.train;

import dev.nabla.io.ModelFormatException;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

public class ModelTest {

    @TempDir
    Path dir;

    /** Three Gaussian blobs in 4-D: inputs [n, 4] and labels [n]. */
    public static Tensor[] blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] centres = {{2, 0, 0, 1}, {-2, 1, 0, -1}, {0, -2, 2, 0}};
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = centres[c][j] + (float) rng.nextGaussian() * 0.7f;
        }
        return new Tensor[]{Tensor.wrap(x, n, 4), Tensor.wrap(y, n)};
    }

    public static Model classifier(long seed) {
        Model model = new Model(new Sequential(new Dense(16, Activation.RELU), new Dropout(0.1f), new Dense(3)).seed(seed));
        model.compile(p -> new Adam(p, 0.01f), new SparseCategoricalCrossEntropy(), new Accuracy());
        return model;
    }

    @Test
    void fitLearnsAndEvaluatePredictWork() {
        Tensor[] train = blobs(600, 1);
        Tensor[] test = blobs(300, 2);
        Model model = classifier(7);
        History history = model.fit(train[0], train[1], new FitOptions().epochs(15).batchSize(32).validationSplit(0.2).seed(3));
        assertEquals(15, history.size());
        double[] loss = history.values("loss");
        assertTrue(loss[14] < loss[0] * 0.5, "loss should fall: " + loss[0] + " -> " + loss[14]);
        assertTrue(history.last().containsKey("val_loss") && history.last().containsKey("val_accuracy"));
        Map<String, Double> result = model.evaluate(test[0], test[1]);
        assertTrue(result.get("accuracy") > 0.9, "test accuracy " + result);
        Tensor p = model.predict(test[0]);
        assertArrayEquals(new int[]{300, 3}, p.shape());
        assertEquals(300f, p.sum().item(), 1e-2, "probabilities sum to 1 per sample");
        int[] classes = model.predictClasses(test[0]);
        assertEquals(300, classes.length);
    }

    @Test
    void regressionFits() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.uniform(rng, -1, 1, 256, 3);
        Tensor w = Tensor.of(new float[]{1.5f, -2f, 0.5f}, 3, 1);
        Tensor y = x.matmul(w).add(0.3f);
        Model model = new Model(new Sequential(new Dense(1)).seed(1));
        model.compile(p -> new Sgd(p, 0.1f, 0.9), new MeanSquaredError(), new MeanAbsoluteErrorMetric());
        model.fit(x, y, new FitOptions().epochs(30).batchSize(32).seed(1));
        assertTrue(model.evaluate(x, y).get("mae") < 0.01, model.evaluate(x, y).toString());
    }

    @Test
    void sameSeedGivesIdenticalLosses() {
        Tensor[] data = blobs(200, 3);
        double[] a = classifier(11).fit(data[0], data[1], new FitOptions().epochs(3).seed(5)).values("loss");
        double[] b = classifier(11).fit(data[0], data[1], new FitOptions().epochs(3).seed(5)).values("loss");
        double[] c = classifier(11).fit(data[0], data[1], new FitOptions().epochs(3).seed(6)).values("loss");
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void nonFiniteLossStopsWithEpochAndBatch() {
        Tensor[] data = blobs(64, 4);
        Model model = new Model(new Sequential(new Dense(3)).seed(1));
        model.compile(p -> new Sgd(p, 1e30f), new SparseCategoricalCrossEntropy());
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> model.fit(data[0].mul(1e20f), data[1], new FitOptions().epochs(3).batchSize(16)));
        assertTrue(e.getMessage().contains("epoch " + e.epoch()) && e.getMessage().contains("batch " + e.batch()), e.getMessage());
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        Tensor[] data = blobs(300, 8);
        Model model = classifier(2);
        EarlyStopping stop = new EarlyStopping("val_loss", 1, 0.0, true);
        model.fit(data[0], data[1], new FitOptions().epochs(60).validationSplit(0.3).callbacks(stop).seed(1));
        assertTrue(model.history().size() < 60, "should stop early, ran " + model.history().size());
        double bestLogged = model.history().values("val_loss")[stop.bestEpoch() - 1];
        Tensor valX = data[0].slice(210, 300);
        Tensor valY = data[1].slice(210, 300);
        assertEquals(bestLogged, model.evaluate(valX, valY).get("loss"), 1e-6, "weights of the best epoch are back");
    }

    @Test
    void csvLoggerAndCheckpointWriteFiles() throws IOException {
        Tensor[] data = blobs(100, 9);
        Path csv = dir.resolve("log.csv");
        Path ckpt = dir.resolve("ckpt.nabla");
        classifier(1).fit(data[0], data[1], new FitOptions().epochs(3).callbacks(new CsvLogger(csv), new ModelCheckpoint(ckpt)));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("epoch,loss,accuracy"), lines.get(0));
        assertEquals(3, Model.load(ckpt).epochsDone());
    }

    @Test
    void saveThenLoadPredictsBitForBit() throws IOException {
        Tensor[] data = blobs(200, 10);
        Model model = classifier(3);
        model.fit(data[0], data[1], new FitOptions().epochs(2));
        model.metadata().put("classes", List.of("a", "b", "c"));
        Path file = dir.resolve("m.nabla");
        model.save(file);
        Model loaded = Model.load(file);
        assertArrayEquals(model.predict(data[0]).toArray(), loaded.predict(data[0]).toArray());
        assertEquals(List.of("a", "b", "c"), loaded.metadata().get("classes"));
        assertEquals(model.history().epochs(), loaded.history().epochs());
        assertEquals("adam", loaded.optimizer().name());
        assertEquals(model.optimizer().config(), loaded.optimizer().config());
        assertEquals(model.loss().config(), loaded.loss().config());
        assertEquals(model.metrics().get(0).config(), loaded.metrics().get(0).config());
        assertEquals(2, loaded.epochsDone());
    }

    @Test
    void resumedRunMatchesUninterruptedRun() throws IOException {
        Tensor[] data = blobs(160, 12);
        Model straight = classifier(4);
        straight.fit(data[0], data[1], new FitOptions().epochs(4).seed(9));

        Model first = classifier(4);
        first.fit(data[0], data[1], new FitOptions().epochs(2).seed(9));
        Path file = dir.resolve("half.nabla");
        first.save(file);
        Model resumed = Model.load(file);
        resumed.fit(data[0], data[1], new FitOptions().epochs(2).seed(9));

        assertArrayEquals(straight.history().values("loss"), resumed.history().values("loss"));
        for (var e : straight.network().namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), resumed.network().namedParameters().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void corruptTruncatedOrForeignFilesAreRejectedClearly() throws IOException {
        Tensor[] data = blobs(50, 13);
        Model model = classifier(5);
        model.fit(data[0], data[1], new FitOptions().epochs(1));
        Path file = dir.resolve("good.nabla");
        model.save(file);
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.nabla");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ModelFormatException t = assertThrows(ModelFormatException.class, () -> Model.load(truncated));
        assertTrue(t.getMessage().startsWith(truncated.toString()), t.getMessage());

        Path flipped = dir.resolve("flipped.nabla");
        byte[] corrupt = bytes.clone();
        corrupt[bytes.length / 2] ^= 0x40;
        Files.write(flipped, corrupt);
        assertThrows(ModelFormatException.class, () -> Model.load(flipped));

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        ModelFormatException n = assertThrows(ModelFormatException.class, () -> Model.load(text));
        assertTrue(n.getMessage().contains("not a Nabla model"), n.getMessage());
    }

    @Test
    void customModulesTrainWithTheSameModel() {
        class TwoLayer extends Module {
            final Dense hidden = register("hidden", new Dense(16, Activation.TANH));
            final Dense out = register("out", new Dense(3));

            @Override
            public Tensor forward(Tensor x) {
                return out.forward(hidden.forward(x));
            }
        }
        Tensor[] data = blobs(300, 14);
        Model model = new Model(new TwoLayer());
        model.compile(p -> new Adam(p, 0.02f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(data[0], data[1], new FitOptions().epochs(10));
        assertTrue(model.evaluate(data[0], data[1]).get("accuracy") > 0.9);
        assertEquals(4, model.network().parameters().size());
    }
}
