package dev.nabla.io;

import dev.nabla.loss.BinaryCrossEntropy;
import dev.nabla.loss.Huber;
import dev.nabla.loss.Reduction;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.Metric;
import dev.nabla.metrics.Precision;
import dev.nabla.metrics.TopKAccuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerRegistryTest;
import dev.nabla.optim.Optimizers;
import dev.nabla.optim.RmsProp;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss, metrics and optimizer in model files: typed in format 2, format 1's forms still read, resuming exactly. */
class ModelFileCompileTest {

    @TempDir
    Path dir;

    /** Two Gaussian blobs in 4-D, labels 0/1. */
    static Tensor[] blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(2);
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (c == 0 ? -1 : 1) * (j % 2 == 0 ? 1f : -0.5f) + (float) rng.nextGaussian();
        }
        return new Tensor[]{Tensor.wrap(x, n, 4), Tensor.wrap(y, n)};
    }

    @Test
    void formatTwoStoresTypedConfigurations() throws IOException {
        Tensor[] data = blobs(64, 1);
        Model model = new Model(new Sequential(new Dense(8, Activation.RELU), new Dense(2)).seed(3));
        model.compile(p -> new Adam(p, 0.01f, 0.8, 0.99, 1e-7, 0, true), new SparseCategoricalCrossEntropy(0.25f, Reduction.SUM),
                new Accuracy(), new TopKAccuracy(2));
        model.fit(data[0], data[1], new FitOptions().epochs(1).batchSize(16));
        Path file = dir.resolve("m.nabla");
        model.save(file);

        ModelArchive.Contents contents = ModelArchive.readContents(file);
        assertEquals(2, contents.formatVersion());
        Map<String, Object> json = Json.asObject(Json.parse(new String(contents.entries().get("model.json"), StandardCharsets.UTF_8)), "model.json");
        assertEquals(Map.of("type", "sparse_categorical_crossentropy", "reduction", "sum", "label_smoothing", 0.25), json.get("loss"));
        assertEquals(List.of(Map.of("type", "accuracy", "from_logits", false), Map.of("type", "top_k_accuracy", "k", 2L)), json.get("metrics"));
        Map<String, Object> optimizer = new LinkedHashMap<>(Json.asObject(json.get("optimizer"), "optimizer"));
        assertEquals(List.of("type", "learning_rate", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "steps"), List.copyOf(optimizer.keySet()));
        assertEquals("adam", optimizer.get("type"));
        assertEquals(0.01, optimizer.get("learning_rate"), "a float is written as its shortest decimal");
        assertEquals(0.8, optimizer.get("beta1"));
        assertEquals(1e-7, optimizer.get("eps"));
        assertEquals(Boolean.TRUE, optimizer.get("amsgrad"));
        assertEquals(4L, optimizer.get("steps"));

        Model loaded = Model.load(file);
        assertEquals(model.loss().config(), loaded.loss().config());
        assertEquals(configs(model.metrics()), configs(loaded.metrics()));
        assertEquals(model.optimizer().config(), loaded.optimizer().config());
        assertEquals(4, loaded.optimizer().steps());
    }

    static List<String> optimizers() {
        return Optimizers.registry().names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void everyOptimizerResumesWithTheSameNextStep(String type) throws IOException {
        Tensor[] data = blobs(48, 2);
        FitOptions oneStep = new FitOptions().epochs(1).batchSize(48).seed(7);
        Map<String, Object> settings = OptimizerRegistryTest.NON_DEFAULT.get(type);
        Model model = new Model(new Sequential(new Dense(6, Activation.TANH), new Dense(2)).seed(2));
        model.compile(Optimizers.factory(type, settings, Set.of(), "test"), new SparseCategoricalCrossEntropy());
        model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(16).seed(5));
        Path file = dir.resolve(type + ".nabla");
        model.save(file);
        Model loaded = Model.load(file);
        Model stateless = Model.load(file);
        Record config = model.optimizer().config();
        assertEquals(config, loaded.optimizer().config(), type);
        assertEquals(model.optimizer().steps(), loaded.optimizer().steps(), type);
        Map<String, float[]> before = copy(model.network().namedParameters());

        model.fit(data[0], data[1], oneStep);
        loaded.fit(data[0], data[1], oneStep);
        stateless.compile(Optimizers.factory(config), stateless.loss());
        stateless.fit(data[0], data[1], oneStep);

        Map<String, float[]> after = copy(model.network().namedParameters());
        Map<String, float[]> resumed = copy(loaded.network().namedParameters());
        for (var e : after.entrySet()) {
            assertFalse(Arrays.equals(before.get(e.getKey()), e.getValue()), type + ": the step changed nothing in " + e.getKey());
            assertArrayEquals(e.getValue(), resumed.get(e.getKey()), 0f, type + ": " + e.getKey());
        }
        for (String key : model.optimizer().state().keySet()) {
            assertArrayEquals(model.optimizer().state().get(key), loaded.optimizer().state().get(key), 0f, type + ": state " + key);
        }
        // the saved state matters: the same settings without it step elsewhere (so this test can fail)
        boolean differs = false;
        for (var e : after.entrySet()) differs |= !Arrays.equals(e.getValue(), stateless.network().namedParameters().get(e.getKey()).toArray());
        assertTrue(differs, type + ": a fresh optimizer took the same step");
    }

    @Test
    void formatOneFilesStillLoad() throws IOException {
        Tensor[] data = blobs(40, 3);
        Model model = new Model(new Sequential(new Dense(8, Activation.RELU), new Dense(1)).seed(5));
        model.compile(p -> new RmsProp(p, 0.02f, 0.9, 1e-8, 0, 0.5, true), new BinaryCrossEntropy(true),
                new Accuracy(true), new Precision(true));
        model.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(10));
        Path v2 = dir.resolve("v2.nabla");
        model.save(v2);

        // what release 0.1.0 wrote for this model (the shapes of the v1 golden files)
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelArchive.read(v2));
        Map<String, Object> json = Json.asObject(Json.parse(new String(entries.get("model.json"), StandardCharsets.UTF_8)), "model.json");
        json.put("architecture", Json.parse("{\"type\": \"sequential\", \"seed\": 5, \"input_shape\": [4], \"layers\": ["
                + "{\"type\": \"dense\", \"config\": {\"units\": \"8\", \"activation\": \"relu\", \"use_bias\": \"true\"}},"
                + "{\"type\": \"dense\", \"config\": {\"units\": \"1\", \"activation\": \"linear\", \"use_bias\": \"true\"}}]}"));
        json.put("loss", Json.parse("{\"name\": \"binary_crossentropy\", \"config\": {\"reduction\": \"MEAN\", \"from_logits\": \"true\"}}"));
        json.put("metrics", List.of("accuracy", "precision"));
        json.put("optimizer", Json.parse("{\"name\": \"rmsprop\", \"learning_rate\": 0.019999999552965164, \"hyperparameters\": "
                + "{\"alpha\": 0.9, \"eps\": 1e-08, \"weight_decay\": 0.0, \"momentum\": 0.5, \"centered\": 1.0}, \"steps\": 8}"));
        entries.put("model.json", Json.write(json, true).getBytes(StandardCharsets.UTF_8));
        Path v1 = dir.resolve("v1.nabla");
        writeFormatOne(v1, entries);
        assertEquals(1, ModelArchive.readContents(v1).formatVersion());

        Model loaded = Model.load(v1);
        assertArrayEquals(model.predict(data[0]).toArray(), loaded.predict(data[0]).toArray());
        assertEquals(model.loss().config(), loaded.loss().config());
        assertEquals(configs(model.metrics()), configs(loaded.metrics()), "binary metrics read logits as the loss does");
        assertEquals(model.optimizer().config(), loaded.optimizer().config());
        assertEquals(8, loaded.optimizer().steps());
        FitOptions more = new FitOptions().epochs(1).batchSize(10).seed(4);
        model.fit(data[0], data[1], more);
        loaded.fit(data[0], data[1], more);
        assertArrayEquals(model.predict(data[0]).toArray(), loaded.predict(data[0]).toArray(), "one more epoch, alike");

        Model inCode = new Model(new Sequential(new Dense(8, Activation.RELU), new Dense(1)).seed(5));
        inCode.network().build(List.of(new int[]{4}));
        ModelFile.loadInto(inCode, v1);
        assertEquals(new BinaryCrossEntropy.Config(Reduction.MEAN, true), inCode.loss().config());
        assertEquals(new RmsProp.Config(0.02f, 0.9, 1e-8, 0, 0.5, true), inCode.optimizer().config());
    }

    @Test
    void badSettingsNameTheFileAndKey() throws IOException {
        Tensor[] data = blobs(16, 4);
        Model model = new Model(new Sequential(new Dense(1)).seed(1));
        model.compile(p -> new Adam(p), new Huber(), new Accuracy());
        model.fit(data[0], data[1], new FitOptions().epochs(1));
        Path file = dir.resolve("good.nabla");
        model.save(file);

        assertBroken(file, "loss", "{\"type\": \"huber\", \"delt\": 1.0}", "'delt'");
        assertBroken(file, "loss", "{\"type\": \"hubber\"}", "'hubber'");
        // format 2 files hold types: the format-1 shape is not taken for one
        assertBroken(file, "loss", "{\"name\": \"huber\", \"config\": {\"delta\": \"1.0\"}}", "loss");
        assertBroken(file, "metrics", "[{\"type\": \"accuracy\", \"from_logit\": true}]", "'from_logit'");
        assertBroken(file, "metrics", "[\"accuracy\"]", "metrics[0]");
        assertBroken(file, "optimizer", "{\"type\": \"adam\", \"learning_rate\": 0.1, \"beta3\": 0.5, \"steps\": 1}", "'beta3'");
        assertBroken(file, "optimizer", "{\"type\": \"adam\", \"learning_rate\": \"fast\", \"steps\": 1}", "'learning_rate'");
    }

    private void assertBroken(Path good, String key, String value, String fragment) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelArchive.read(good));
        Map<String, Object> json = Json.asObject(Json.parse(new String(entries.get("model.json"), StandardCharsets.UTF_8)), "model.json");
        json.put(key, Json.parse(value));
        entries.put("model.json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        Path bad = dir.resolve("bad.nabla");
        ModelArchive.write(bad, entries);
        String message = assertThrows(ModelFormatException.class, () -> Model.load(bad)).getMessage();
        assertTrue(message.startsWith(bad.toString()) && message.contains(key.replace("metrics", "metric")) && message.contains(fragment), message);
    }

    private static List<Record> configs(List<Metric> metrics) {
        List<Record> out = new ArrayList<>();
        for (Metric m : metrics) out.add(m.config());
        return out;
    }

    private static Map<String, float[]> copy(Map<String, Tensor> tensors) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }

    /** A model file as release 0.1.0 wrote it: manifest of format version 1, then the entries. */
    private static void writeFormatOne(Path file, Map<String, byte[]> entries) throws IOException {
        Map<String, Object> listed = new LinkedHashMap<>();
        for (var e : entries.entrySet()) listed.put(e.getKey(), Map.of("size", (long) e.getValue().length, "sha256", sha256(e.getValue())));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "nabla-model");
        manifest.put("format_version", 1L);
        manifest.put("entries", listed);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
