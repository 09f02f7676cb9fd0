package dev.nabla.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.metrics.Metric;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The model files of format version 1 in {@code src/test/resources/golden/v1}, written by the release that writes
 * format 1 (commit 429eacc, see the README there), must load in every later release and give what that release
 * gave: predictions, evaluation, training state, and one more epoch of training.
 *
 * <p>Tolerance: predictions and evaluation results within {@value #TOLERANCE} absolute plus {@value #TOLERANCE}
 * relative. The files were written with oneDNN's kernels; a later run may use the pure-Java ones
 * ({@code -Dnabla.kernels=java}, or a platform without the natives) or another thread count, whose sums round
 * differently in the last bits. Training state and history are numbers stored in the file and must read back exactly
 * (up to {@value #STORED} relative). One more epoch of training repeats float rounding through a whole epoch of
 * forward, backward and optimizer steps, so it is compared within {@value #RESUMED}: far tighter than what losing the
 * optimizer state, the step count (dropout masks) or the epoch count (shuffling) would change.
 *
 * <p>Only the public API is used (Model, Tensor, FitOptions, the optimizer, loss and metric interfaces) so that the
 * test survives rewrites of the file format code. Never regenerate the files with a later release.
 */
class V1ModelFilesTest {

    static final double TOLERANCE = 1e-5;
    static final double STORED = 1e-12;
    static final double RESUMED = 1e-4;

    /** Every library model in golden/v1; {@link #everyGoldenModelIsListed} keeps this list complete. */
    static final List<String> MODELS = List.of(
            "dense_sparse_ce_adam", "conv_mse_sgd_momentum", "conv_bce_rmsprop", "batchnorm_huber_adamw",
            "embedding_mae_adagrad", "activations_cce_sgd", "uncompiled", "compiled_not_trained");

    static Stream<String> models() {
        return MODELS.stream();
    }

    /** The models saved with an optimizer (after at least one fit), which can train on. */
    static Stream<String> trainedModels() {
        return MODELS.stream().filter(name -> !expected(name).one("optimizer").equals("none"));
    }

    /**
     * The golden folder: the module's {@code src/test/resources/golden/v1} when the test runs from the module folder
     * (as Maven runs it; a stale copy under target/ cannot hide a removed or added file), else the copy on the class
     * path.
     */
    static Path dir() {
        Path source = Path.of("src/test/resources/golden/v1");
        if (Files.isRegularFile(source.resolve("README.md"))) return source.toAbsolutePath();
        URL url = V1ModelFilesTest.class.getResource("/golden/v1/README.md");
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalStateException("golden/v1 not found (run from the module folder, or with test resources on the class path)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Model load(String name) throws IOException {
        return Model.load(dir().resolve(name + ".nabla"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void predictsAsTheReleaseThatWroteIt(String name) throws IOException {
        Model model = load(name);
        Tensor x = readTensor(name + ".inputs.txt");
        Expected e = expected(name);
        assertTensor(name + ": predict", e.tensor("predict"), model.predict(x), TOLERANCE);
        // and again, in batches of 5: the same values (inference mode does not depend on the batch)
        assertTensor(name + ": predict in batches of 5", e.tensor("predict"), model.predict(x, 5), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void evaluatesAsTheReleaseThatWroteIt(String name) throws IOException {
        Model model = load(name);
        Expected e = expected(name);
        if (e.one("loss").equals("none")) {
            assertNull(model.loss(), name + ": saved without a loss");
            assertTrue(e.all("evaluate").isEmpty());
            return;
        }
        Map<String, Double> scores = model.evaluate(readTensor(name + ".inputs.txt"), readTensor(name + ".targets.txt"));
        assertScores(name + ": evaluate", e.pairs("evaluate"), scores, TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void restoresTheTrainingState(String name) throws Exception {
        Model model = load(name);
        Expected e = expected(name);
        assertEquals(Integer.parseInt(e.one("epochs_done")), model.epochsDone(), name + ": epochs done");

        if (e.one("loss").equals("none")) {
            assertNull(model.loss(), name + ": loss");
        } else {
            assertNotNull(model.loss(), name + ": loss");
            assertEquals(e.one("loss"), model.loss().name(), name + ": loss name");
            // the release wrote its settings as strings (MEAN, 0.1, true); the typed configuration must say the same
            Map<String, String> settings = new TreeMap<>();
            Record config = model.loss().config();
            for (java.lang.reflect.RecordComponent c : config.getClass().getRecordComponents()) {
                settings.put(dev.nabla.config.ConfigCodec.snake(c.getName()), String.valueOf(c.getAccessor().invoke(config)));
            }
            assertEquals(e.pairs("loss_config"), new LinkedHashMap<>(settings), name + ": loss settings");
        }
        List<String> metrics = new ArrayList<>();
        for (Metric m : model.metrics()) metrics.add(m.name());
        assertEquals(e.words("metrics"), metrics, name + ": metrics");

        Optimizer o = model.optimizer();
        if (e.one("optimizer").equals("none")) {
            assertNull(o, name + ": saved without an optimizer");
        } else {
            assertNotNull(o, name + ": optimizer");
            assertEquals(e.one("optimizer"), o.name(), name + ": optimizer name");
            assertEquals(Float.parseFloat(e.one("optimizer_learning_rate")), o.learningRate(), name + ": learning rate");
            assertEquals(Long.parseLong(e.one("optimizer_steps")), o.steps(), name + ": optimizer steps");
            Map<String, String> hyper = new LinkedHashMap<>();
            for (var h : new TreeMap<>(o.hyperparameters()).entrySet()) hyper.put(h.getKey(), Double.toString(h.getValue()));
            assertEquals(e.pairs("optimizer_hyperparameters"), hyper, name + ": optimizer hyperparameters");
        }

        List<Map<String, Double>> history = model.history().epochs();
        assertEquals(Integer.parseInt(e.one("history_size")), history.size(), name + ": history length");
        List<String> rows = e.all("history");
        assertEquals(rows.size(), history.size(), name + ": history rows in the expected file");
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i);
            int space = row.indexOf(' ');
            assertEquals(Integer.toString(i + 1), row.substring(0, space));
            assertScores(name + ": history epoch " + (i + 1), Expected.pairsOf(row.substring(space + 1)), history.get(i), STORED);
        }
    }

    @Test
    void restoresFreeFormMetadata() throws IOException {
        Map<String, Object> metadata = load("uncompiled").metadata();
        assertEquals(List.of("note", "numbers"), List.copyOf(metadata.keySet()));
        assertEquals("built, never compiled", metadata.get("note"));
        List<?> numbers = (List<?>) metadata.get("numbers");
        assertEquals(3, numbers.size());
        assertEquals(1.0, ((Number) numbers.get(0)).doubleValue());
        assertEquals(2.5, ((Number) numbers.get(1)).doubleValue());
        assertEquals(Boolean.TRUE, numbers.get(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainedModels")
    void trainsOneMoreEpoch(String name) throws IOException {
        Model model = load(name);
        Expected e = expected(name);
        Map<String, String> how = e.pairs("resume");
        Tensor x = readTensor(name + ".inputs.txt");
        Tensor y = readTensor(name + ".targets.txt");
        int epochsBefore = model.epochsDone();
        int historyBefore = model.history().size();
        model.fit(x, y, new FitOptions().epochs(Integer.parseInt(how.get("epochs")))
                .batchSize(Integer.parseInt(how.get("batch_size"))).seed(Long.parseLong(how.get("seed"))));

        double loss = model.history().last().get("loss");
        assertTrue(Double.isFinite(loss), name + ": loss after one more epoch is " + loss);
        assertEquals(epochsBefore + 1, model.epochsDone(), name + ": epochs done");
        assertEquals(Integer.parseInt(e.one("resume_epochs_done")), model.epochsDone(), name + ": epochs done");
        assertEquals(historyBefore + 1, model.history().size(), name + ": history length");
        assertEquals(Long.parseLong(e.one("resume_optimizer_steps")), model.optimizer().steps(), name + ": optimizer steps");
        assertScores(name + ": the new epoch's logs", e.pairs("resume_history"), model.history().last(), RESUMED);
        assertTensor(name + ": predict after one more epoch", e.tensor("resume_predict"), model.predict(x), RESUMED);
    }

    @Test
    void everyGoldenModelIsListed() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".nabla"))
                    .forEach(f -> found.add(f.substring(0, f.length() - ".nabla".length())));
        }
        assertEquals(MODELS.stream().sorted().toList(), found.stream().sorted().toList());
    }

    /** The files themselves are format 1: a later release must not have rewritten them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void fileIsModelFormatVersion1(String name) throws IOException {
        JsonNode manifest = null;
        try (InputStream in = Files.newInputStream(dir().resolve(name + ".nabla")); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("manifest.json")) manifest = new ObjectMapper().readTree(zip.readAllBytes());
            }
        }
        assertNotNull(manifest, name + ": no manifest.json");
        assertEquals("nabla-model", manifest.path("format").asText(), name);
        assertEquals(1, manifest.path("format_version").asInt(), name);
        assertEquals("1", expected(name).one("format_version"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void assertTensor(String what, Tensor expected, Tensor actual, double tolerance) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (!close(e[i], a[i], tolerance)) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance " + tolerance + ")");
            }
        }
    }

    static void assertScores(String what, Map<String, String> expected, Map<String, Double> actual, double tolerance) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), what + ": keys");
        for (var e : expected.entrySet()) {
            double want = Double.parseDouble(e.getValue());
            double got = actual.get(e.getKey());
            if (!close(want, got, tolerance)) {
                fail(what + ": " + e.getKey() + " is " + got + ", expected " + want + " (tolerance " + tolerance + ")");
            }
        }
    }

    static boolean close(double expected, double actual, double tolerance) {
        if (Double.isNaN(expected)) return Double.isNaN(actual);
        return Math.abs(actual - expected) <= tolerance + tolerance * Math.abs(expected);
    }

    /** A tensor file: "shape D1 D2 ..." then one float per line. */
    static Tensor readTensor(String file) {
        List<String> lines = lines(file);
        String[] head = lines.get(0).split(" ");
        assertEquals("shape", head[0], file);
        int[] shape = new int[head.length - 1];
        for (int i = 0; i < shape.length; i++) shape[i] = Integer.parseInt(head[i + 1]);
        float[] values = new float[lines.size() - 1];
        for (int i = 0; i < values.length; i++) values[i] = Float.parseFloat(lines.get(i + 1));
        return Tensor.of(values, shape);
    }

    static List<String> lines(String file) {
        try {
            return Files.readAllLines(dir().resolve(file), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Expected expected(String name) {
        return new Expected(name + ".expected.txt", lines(name + ".expected.txt"));
    }

    /** NAME.expected.txt: lines "KEY VALUE..."; some keys repeat (history, predict rows). */
    record Expected(String file, List<String> lines) {

        List<String> all(String key) {
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                if (line.equals(key)) out.add("");
                else if (line.startsWith(key + " ")) out.add(line.substring(key.length() + 1));
            }
            return out;
        }

        String one(String key) {
            List<String> values = all(key);
            assertEquals(1, values.size(), () -> file + ": one line '" + key + "' expected");
            return values.get(0);
        }

        List<String> words(String key) {
            String v = one(key);
            return v.isEmpty() ? List.of() : List.of(v.split(" "));
        }

        Map<String, String> pairs(String key) {
            return pairsOf(one(key));
        }

        static Map<String, String> pairsOf(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String p : text.split(" ")) {
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                out.put(p.substring(0, eq), p.substring(eq + 1));
            }
            return out;
        }

        Tensor tensor(String key) {
            String[] dims = one(key + "_shape").split(" ");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) shape[i] = Integer.parseInt(dims[i]);
            List<Float> values = new ArrayList<>();
            for (String row : all(key)) for (String v : row.split(" ")) values.add(Float.parseFloat(v));
            float[] data = new float[values.size()];
            for (int i = 0; i < data.length; i++) data[i] = values.get(i);
            return Tensor.of(data, shape);
        }
    }
}
