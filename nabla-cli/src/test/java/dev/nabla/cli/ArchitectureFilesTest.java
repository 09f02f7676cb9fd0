package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --arch @FILE}: the issue's residual example, info giving the architecture back, graphs with inputs. */
class ArchitectureFilesTest {

    /** The architecture file of issue 9, as written there. */
    static final String ISSUE_EXAMPLE = """
            {"layers": [
              {"name": "stem", "type": "conv", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
              {"name": "a", "type": "conv", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
              {"name": "b", "type": "conv", "filters": 16, "kernel_size": 3, "padding": "same", "use_bias": false},
              {"name": "bn", "type": "batchnorm"},
              {"name": "sum", "type": "add", "inputs": ["bn", "stem"]},
              {"type": "relu"},
              {"type": "globalavgpool"}]}
            """;

    @TempDir
    static Path dir;

    static Path images;
    static Path residual;
    static Map<String, Object> trained;
    static Map<String, Object> info;

    @BeforeAll
    static void trainTheIssueExample() throws Exception {
        images = CliTestSupport.imageFolder(dir, "stripes", 12, 3);
        Path arch = Files.writeString(dir.resolve("arch.json"), ISSUE_EXAMPLE);
        residual = dir.resolve("residual.nabla");
        trained = nabla("train", "--data", images, "--arch", "@" + arch, "--epochs", 3, "--batch-size", 8, "--lr", 0.01,
                "--out", residual, "--json").json();
        info = nabla("info", "--model", residual, "--json").json();
    }

    private static List<Object> layers(Map<String, Object> json) {
        return Json.asArray(json.get("layers"), "layers");
    }

    /**
     * The trained layers in info's {@code "network"} (the whole network): the model's own preprocessing first
     * (pixels 0..255 rescaled to [0, 1]), then the element {@code "network"}, a sequential or graph entry whose
     * {@code "layers"} this returns with its type and seed.
     */
    static Map<String, Object> trained(Map<String, Object> network) {
        assertEquals("sequential", network.get("type"), "the whole network: " + network);
        List<Object> outer = layers(network);
        assertEquals(2, outer.size(), "preprocessing, then the trained layers: " + network);
        Map<String, Object> front = Json.asObject(outer.get(0), "front");
        assertEquals("rescaling", front.get("type"));
        assertEquals(1 / 255.0, Json.asDouble(front.get("scale"), "scale"));
        Map<String, Object> part = new java.util.LinkedHashMap<>(Json.asObject(outer.get(1), "trained"));
        assertEquals("network", part.get("name"));
        if (part.get("graph") != null) part.putAll(Json.asObject(part.remove("graph"), "graph"));
        return part;
    }

    private static Map<String, Object> layer(Map<String, Object> network, String name) {
        for (Object o : layers(network)) {
            Map<String, Object> l = Json.asObject(o, "layer");
            if (name.equals(l.get("name"))) return l;
        }
        throw new AssertionError("no layer '" + name + "' in " + network);
    }

    @Test
    void issueExampleTrainsOnAnImageFolder() {
        assertEquals("classification", trained.get("task"));
        List<Object> history = Json.asArray(trained.get("history"), "history");
        assertEquals(3, history.size());
        for (Object e : history) {
            double loss = Json.asDouble(Json.asObject(e, "epoch").get("loss"), "loss");
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        }
        assertEquals(Json.parse(ISSUE_EXAMPLE), trained.get("architecture"), "train --json gives the architecture too");
    }

    @Test
    void infoGivesTheArchitectureBackAsGiven() {
        assertEquals(Json.parse(ISSUE_EXAMPLE), info.get("architecture"));
        // existing keys stay
        for (String key : List.of("model", "task", "classes", "input", "image_shape", "parameters", "loss", "optimizer", "epochs", "training")) {
            assertTrue(info.containsKey(key), key + " in " + info.keySet());
        }
    }

    @Test
    void infoGivesTheWholeNetworkWithTheOutputLayer() {
        Map<String, Object> network = trained(Json.asObject(info.get("network"), "network"));
        assertEquals("graph", network.get("type"));
        assertEquals(List.of("bn", "stem"), layer(network, "sum").get("inputs"));
        assertEquals(false, layer(network, "b").get("use_bias"));
        List<Object> all = layers(network);
        Map<String, Object> last = Json.asObject(all.get(all.size() - 1), "last");
        assertEquals("dense", last.get("type"), "the task's output layer is appended: " + last);
        assertEquals(2L, last.get("units"));
        // globalavgpool gives vectors: no flatten before the output layer
        assertEquals("globalavgpool", Json.asObject(all.get(all.size() - 2), "before last").get("type"));
        CliTestSupport.Run text = nabla("info", "--model", residual);
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("Inputs") && text.out().contains("bn, stem"), "the graph's summary: " + text.out());
    }

    @Test
    void theArchitectureFromInfoTrainsTheSameNetworkAgain() throws Exception {
        Path again = Files.writeString(dir.resolve("again.json"), Json.write(info.get("architecture")));
        Path model = dir.resolve("again.nabla");
        nabla("train", "--data", images, "--arch", "@" + again, "--epochs", 1, "--out", model, "--json").json();
        Map<String, Object> second = nabla("info", "--model", model, "--json").json();
        assertEquals(info.get("network"), second.get("network"));
        assertEquals(info.get("architecture"), second.get("architecture"));
        assertEquals(info.get("parameters"), second.get("parameters"));
    }

    @Test
    void aCommaSpecComesBackAsAFileThatTrainsTheSameNetwork() throws Exception {
        Path first = dir.resolve("comma.nabla");
        nabla("train", "--data", images, "--arch", "conv:4:3:relu,maxpool,dense:8:relu", "--epochs", 1, "--out", first, "--json").json();
        Map<String, Object> firstInfo = nabla("info", "--model", first, "--json").json();
        Map<String, Object> arch = Json.asObject(firstInfo.get("architecture"), "architecture");
        List<Object> types = layers(arch).stream().map(l -> Json.asObject(l, "l").get("type")).toList();
        assertEquals(List.of("conv", "maxpool", "flatten", "dense"), types, "the inserted flatten is written out");
        Path file = Files.writeString(dir.resolve("comma.json"), Json.write(arch));
        Path second = dir.resolve("comma-again.nabla");
        nabla("train", "--data", images, "--arch", "@" + file, "--epochs", 1, "--out", second, "--json").json();
        assertEquals(firstInfo.get("network"), nabla("info", "--model", second, "--json").json().get("network"));
    }

    @Test
    void twoBranchGraphWithInputs() throws Exception {
        Path arch = Files.writeString(dir.resolve("branches.json"), """
                {"inputs": [{"name": "image"}],
                 "layers": [
                  {"name": "wide", "type": "conv", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu", "inputs": ["image"]},
                  {"name": "narrow", "type": "conv", "filters": 2, "kernel_size": 1, "inputs": ["image"]},
                  {"name": "both", "type": "concat", "inputs": ["wide", "narrow"]},
                  {"name": "pool", "type": "maxpool", "pool_size": 2}]}
                """);
        Path model = dir.resolve("branches.nabla");
        Map<String, Object> j = nabla("train", "--data", images, "--test", images, "--arch", "@" + arch, "--epochs", 4,
                "--lr", 0.01, "--batch-size", 8, "--out", model, "--json").json();
        double loss = Json.asDouble(Json.asObject(j.get("test"), "test").get("loss"), "loss");
        assertTrue(Double.isFinite(loss), "test loss " + loss);
        Map<String, Object> network = trained(Json.asObject(nabla("info", "--model", model, "--json").json().get("network"), "network"));
        assertEquals(List.of("wide", "narrow"), layer(network, "both").get("inputs"));
        List<Object> all = layers(network);
        assertEquals("flatten", Json.asObject(all.get(all.size() - 2), "l").get("type"), "spatial output: flatten first");
        assertEquals("dense", Json.asObject(all.get(all.size() - 1), "l").get("type"));
        // 6 channels of 4x4 after the pool, flattened into the output layer of 2 classes
        long wide = 4 * 9 + 4;
        long narrow = 2 + 2;
        long output = (6 * 4 * 4) * 2 + 2;
        assertEquals(wide + narrow + output, Json.asLong(nabla("info", "--model", model, "--json").json().get("parameters"), "parameters"));
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void picocliLeavesAtFilesToUs() throws Exception {
        // with picocli's @-file expansion on, the file's words would become arguments and "--arch" would get "{"layers":"
        Path arch = Files.writeString(dir.resolve("tiny.json"), "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 4}]}");
        Path model = dir.resolve("tiny.nabla");
        Map<String, Object> j = nabla("train", "--data", images, "--arch", "@" + arch, "--epochs", 1, "--out", model, "--json").json();
        assertEquals("@" + arch, j.get("arch"));
        assertFalse(Json.asArray(j.get("history"), "history").isEmpty());
    }

    @Test
    void aModelMadeInJavaGivesItsWholeNetworkAsArchitectureAndThatTrains() throws Exception {
        Path java = dir.resolve("java.nabla");
        new dev.nabla.train.Model(new dev.nabla.nn.Sequential(new dev.nabla.nn.Flatten(), new dev.nabla.nn.Dense(8))
                .seed(7).build(1, 8, 8)).save(java);
        Map<String, Object> j = nabla("info", "--model", java, "--json").json();
        assertEquals(j.get("network"), j.get("architecture"), "no --arch saved: the whole network, as the model file has it");
        assertEquals("sequential", Json.asObject(j.get("architecture"), "architecture").get("type"));
        // the model-file form ("type", "seed", "input_shape") is an architecture file too
        Path arch = Files.writeString(dir.resolve("java.json"), Json.write(j.get("architecture")));
        Path model = dir.resolve("from-java.nabla");
        nabla("train", "--data", images, "--arch", "@" + arch, "--epochs", 1, "--out", model, "--json").json();
        Map<String, Object> network = trained(Json.asObject(nabla("info", "--model", model, "--json").json().get("network"), "network"));
        assertEquals(7L, network.get("seed"), "the file's seed wins over --seed");
        assertEquals(List.of("flatten", "dense", "dense"), layers(network).stream().map(l -> Json.asObject(l, "l").get("type")).toList());
        // a declared input shape must be the data's
        Path wrong = Files.writeString(dir.resolve("wrong-shape.json"), "{\"type\": \"sequential\", \"input_shape\": [3, 8, 8], "
                + "\"layers\": [{\"type\": \"flatten\"}]}");
        nabla("train", "--data", images, "--arch", "@" + wrong, "--out", dir.resolve("never.nabla"))
                .assertUsageError("wrong-shape.json", "input_shape", "[3, 8, 8]", "[1, 8, 8]");
    }
}
