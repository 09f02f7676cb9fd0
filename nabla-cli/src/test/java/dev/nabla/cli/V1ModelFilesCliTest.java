package dev.nabla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The models that {@code nabla train} of the release writing model format version 1 (commit 429eacc) saved, in
 * {@code src/test/resources/golden/v1} (see the README there), must give every later release's {@code predict --json}
 * and {@code evaluate --json} the output that release printed: the same keys in the same order (new keys may follow), the same labels and
 * inputs, numbers within {@value #TOLERANCE} absolute plus {@value #TOLERANCE} relative (the files were made with
 * oneDNN's kernels; a later run may use the pure-Java ones). Never regenerate the files with a later release.
 */
class V1ModelFilesCliTest {

    static final double TOLERANCE = 1e-5;

    /** A CLI model: its file name, the labelled data evaluate scores, and the inputs predict gets. */
    record CliModel(String name, String data, String input) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<CliModel> MODELS = List.of(
            new CliModel("table-classifier", "iris-test.csv", "iris-predict.csv"),
            new CliModel("table-regression", "prices-test.csv", "prices-test.csv"),
            new CliModel("table-binary", "ring-test.csv", "ring-test.csv"),
            new CliModel("image-classifier", "shapes/test", "shapes/test"));

    static Stream<CliModel> models() {
        return MODELS.stream();
    }

    /**
     * The golden folder: the module's {@code src/test/resources/golden/v1} when the test runs from the module folder
     * (as Maven runs it; a stale copy under target/ cannot hide a removed or added file), else the copy on the class
     * path.
     */
    static Path dir() {
        Path source = Path.of("src/test/resources/golden/v1");
        if (Files.isRegularFile(source.resolve("README.md"))) return source.toAbsolutePath();
        URL url = V1ModelFilesCliTest.class.getResource("/golden/v1/README.md");
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalStateException("golden/v1 not found (run from the module folder, or with test resources on the class path)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void predictJsonAsTheReleaseThatWroteIt(CliModel m) throws IOException {
        Path dir = dir();
        JsonNode actual = jsonLine(nabla("predict", "--model", dir.resolve(m.name() + ".nabla"), dir.resolve(m.input()), "--json"));
        assertJson(m.name() + ".predict.json", expected(m.name() + ".predict.json"), actual, "$", dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void evaluateJsonAsTheReleaseThatWroteIt(CliModel m) throws IOException {
        Path dir = dir();
        JsonNode actual = jsonLine(nabla("evaluate", "--model", dir.resolve(m.name() + ".nabla"), "--data", dir.resolve(m.data()), "--json"));
        assertJson(m.name() + ".evaluate.json", expected(m.name() + ".evaluate.json"), actual, "$", dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void fileIsModelFormatVersion1(CliModel m) throws IOException {
        JsonNode manifest = null;
        try (InputStream in = Files.newInputStream(dir().resolve(m.name() + ".nabla")); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("manifest.json")) manifest = new ObjectMapper().readTree(zip.readAllBytes());
            }
        }
        assertNotNull(manifest, m.name() + ": no manifest.json");
        assertEquals("nabla-model", manifest.path("format").asText());
        assertEquals(1, manifest.path("format_version").asInt(), m.name() + ": a later release must not rewrite this file");
    }

    /**
     * {@code nabla train --model} continues a format-1 model (preprocessing in its metadata): with a learning rate too
     * small to move a weight (and no layer with running statistics), the model it saves, of format 2 with the target
     * scaling inside, predicts and evaluates as the old file did.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("continuable")
    void continuedTrainingKeepsWhatTheModelPredicts(CliModel m, String trainData, @TempDir Path tmp) throws IOException {
        Path dir = dir();
        Path out = tmp.resolve(m.name() + "-continued.nabla");
        JsonNode trained = jsonLine(nabla("train", "--model", dir.resolve(m.name() + ".nabla"), "--data", dir.resolve(trainData),
                "--epochs", 1, "--lr", 1e-30, "--out", out, "--json"));
        assertEquals(dir.resolve(m.name() + ".nabla").toString(), trained.path("continued_from").asText());
        JsonNode predicted = jsonLine(nabla("predict", "--model", out, dir.resolve(m.input()), "--json"));
        assertJson(m.name() + ".predict.json", expected(m.name() + ".predict.json"), predicted, "$", dir);
        JsonNode evaluated = jsonLine(nabla("evaluate", "--model", out, "--data", dir.resolve(m.data()), "--json"));
        assertJson(m.name() + ".evaluate.json", expected(m.name() + ".evaluate.json"), evaluated, "$", dir);

        dev.nabla.train.Model continued = dev.nabla.train.Model.load(out);
        dev.nabla.data.Preprocessing saved = dev.nabla.data.Preprocessing.of(continued);
        assertEquals(saved.classes(), continued.classNames());
        if (m.name().equals("table-regression")) {
            dev.nabla.data.Preprocessing old = dev.nabla.data.Preprocessing.of(dev.nabla.train.Model.load(dir.resolve(m.name() + ".nabla")));
            assertEquals(new dev.nabla.train.Model.TargetScaling(old.targetMean(), old.targetStd()), continued.targetScaling(),
                    "the target scaling moved into the model");
            assertEquals(0, saved.targetMean());
            assertEquals(1, saved.targetStd());
        }
    }

    static Stream<Arguments> continuable() {
        // the others have batch normalisation, whose running statistics move in training whatever the learning rate
        return Stream.of(Arguments.of(MODELS.get(1), "prices.csv"), Arguments.of(MODELS.get(2), "ring.csv"));
    }

    @Test
    void everyGoldenModelIsListed() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".nabla"))
                    .forEach(f -> found.add(f.substring(0, f.length() - ".nabla".length())));
        }
        assertEquals(MODELS.stream().map(CliModel::name).sorted().toList(), found.stream().sorted().toList());
    }

    // ---------------------------------------------------------------------------------------------------------------

    static JsonNode expected(String file) throws IOException {
        return new ObjectMapper().readTree(Files.readString(dir().resolve(file), StandardCharsets.UTF_8));
    }

    /** The run's stdout: exit status 0 and exactly one line, a JSON object. */
    static JsonNode jsonLine(CliTestSupport.Run run) throws IOException {
        assertEquals(0, run.code(), () -> "exit status; stderr:\n" + run.err());
        String[] lines = run.out().strip().split("\\R");
        assertEquals(1, lines.length, () -> "--json prints exactly one line on stdout, got:\n" + run.out());
        JsonNode node = new ObjectMapper().readTree(lines[0]);
        assertTrue(node.isObject(), lines[0]);
        return node;
    }

    /**
     * Same structure, keys in the same order, strings and integers exactly, other numbers within the tolerance. An
     * {@code "input"} string that names a file is compared by its path relative to {@code dir} (the stored output
     * was made from there with relative paths).
     */
    static void assertJson(String file, JsonNode expected, JsonNode actual, String at, Path dir) {
        String where = file + " at " + at;
        if (expected.isObject()) {
            assertTrue(actual.isObject(), () -> where + ": expected an object, got " + actual);
            List<String> want = new ArrayList<>();
            expected.fieldNames().forEachRemaining(want::add);
            List<String> got = new ArrayList<>();
            actual.fieldNames().forEachRemaining(got::add);
            // a later release may add keys after the old ones (evaluate's auc, per_class, confusion_matrix)
            assertEquals(want, got.subList(0, Math.min(want.size(), got.size())), where + ": keys (in order)");
            for (String key : want) {
                JsonNode e = expected.get(key);
                JsonNode a = actual.get(key);
                if (key.equals("input") && e.isTextual() && a.isTextual()) {
                    assertEquals(e.asText(), relative(dir, a.asText()), where + ".input");
                } else {
                    assertJson(file, e, a, at + "." + key, dir);
                }
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), () -> where + ": expected an array, got " + actual);
            assertEquals(expected.size(), actual.size(), where + ": array length");
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) assertJson(file, e.next(), a.next(), at + "[" + i + "]", dir);
        } else if (expected.isIntegralNumber()) {
            assertTrue(actual.isIntegralNumber(), () -> where + ": expected the whole number " + expected + ", got " + actual);
            assertEquals(expected.asLong(), actual.asLong(), where);
        } else if (expected.isNumber()) {
            assertTrue(actual.isNumber(), () -> where + ": expected a number, got " + actual);
            double want = expected.asDouble();
            double got = actual.asDouble();
            if (!(Math.abs(got - want) <= TOLERANCE + TOLERANCE * Math.abs(want))) {
                fail(where + ": " + got + ", expected " + want + " (tolerance " + TOLERANCE + ")");
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    static String relative(Path dir, String input) {
        Path p = Path.of(input);
        if (!p.isAbsolute()) return input;
        return dir.relativize(p).toString().replace(File.separatorChar, '/');
    }
}
