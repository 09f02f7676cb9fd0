package dev.nabla.io;

import dev.nabla.config.Default;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Add;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Concat;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Node;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Padding;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph models, nesting, several inputs and in-model preprocessing through save and load (format version 2). */
class GraphModelFileTest {

    @TempDir
    Path dir;

    private static Conv2D conv(int filters, Activation activation, boolean bias) {
        return new Conv2D(new Conv2D.Config(filters, new int[]{3}, activation, Padding.SAME, new int[]{1}, new int[]{1}, 1, bias));
    }

    private static Graph residualCnn() {
        Node image = Graph.input("image", 1, 8, 8);
        Node stem = conv(4, Activation.RELU, true).named("stem").on(image);
        Node a = conv(4, Activation.RELU, true).on(stem);
        Node b = new BatchNorm().on(conv(4, Activation.LINEAR, false).on(a));
        Node sum = new Add().named("sum").on(b, stem);
        Node out = new Dense(3).on(new GlobalAveragePool().on(sum));
        return (Graph) Graph.of(image, out).seed(5);
    }

    private static Tensor images(int n, long seed) {
        return Tensor.uniform(new SplittableRandom(seed), 0, 1, n, 1, 8, 8);
    }

    private static Tensor labels(int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return Tensor.of(y, n);
    }

    @Test
    void residualGraphSavesLoadsAndPredictsBitForBit() throws Exception {
        Model model = new Model(residualCnn());
        model.compile(p -> new Adam(p, 1e-2f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(images(24, 1), labels(24), new FitOptions().epochs(2).batchSize(8));
        Path file = dir.resolve("res.nabla");
        model.save(file);
        Model again = Model.load(file);
        Tensor x = images(5, 2);
        assertArrayEquals(model.predict(x).toArray(), again.predict(x).toArray());
        assertEquals(model.network().namedParameters().keySet(), again.network().namedParameters().keySet());
        assertTrue(again.network().namedParameters().containsKey("stem.weight"));
        Map<String, Object> arch = Architecture(again);
        assertEquals("graph", arch.get("type"));
        // training goes on from the saved optimizer state
        again.fit(images(24, 1), labels(24), new FitOptions().epochs(1).batchSize(8));
        assertEquals(3, again.epochsDone());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> Architecture(Model m) {
        return dev.nabla.nn.Architecture.toJson(m.network());
    }

    @Test
    void sharedLayerIsSavedOnceAndStaysShared() throws Exception {
        Node a = Graph.input("a", 4);
        Node b = Graph.input("b", 4);
        Dense encoder = new Dense(3, Activation.TANH).named("encoder");
        Node sum = new Add().on(encoder.on(a), encoder.on(b));
        Graph g = new Graph(List.of(a, b), List.of(new Dense(1).on(sum)));
        Model model = new Model(g);
        model.compile(p -> new Adam(p, 1e-2f), new MeanSquaredError());
        Tensor xa = Tensor.uniform(new SplittableRandom(1), -1, 1, 16, 4);
        Tensor xb = Tensor.uniform(new SplittableRandom(2), -1, 1, 16, 4);
        Tensor y = Tensor.uniform(new SplittableRandom(3), -1, 1, 16, 1);
        model.fit(Map.of("a", xa, "b", xb), y, new FitOptions().epochs(2).batchSize(4));
        assertEquals(List.of("encoder.weight", "encoder.bias", "dense.weight", "dense.bias"),
                List.copyOf(g.namedParameters().keySet()));
        Path file = dir.resolve("shared.nabla");
        model.save(file);
        Model again = Model.load(file);
        Map<String, Tensor> in = Map.of("a", xa, "b", xb);
        assertArrayEquals(model.predict(in).toArray(), again.predict(in).toArray());
        Graph loaded = (Graph) again.network();
        assertEquals(loaded.nodes().get(0).module(), loaded.nodes().get(1).module(), "the two calls share one layer");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> again.predict(Map.of("a", xa)));
        assertTrue(missing.getMessage().contains("'b'"), missing.getMessage());
    }

    @Test
    void nestedSequentialAndGraphRoundTrip() throws Exception {
        Node x = Graph.input("x", 6);
        Sequential block = new Sequential(new Dense(5, Activation.RELU), new Dense(6)).named("block");
        Node joined = new Concat().on(block.on(x), x);
        Graph inner = Graph.of(x, new Dense(4).on(joined));
        Sequential outer = new Sequential(inner, new Dense(2)).seed(3);
        Model model = new Model(outer);
        model.compile(p -> new Adam(p, 1e-2f), new MeanSquaredError());
        Tensor in = Tensor.uniform(new SplittableRandom(4), -1, 1, 10, 6);
        model.fit(in, Tensor.zeros(10, 2), new FitOptions().epochs(1).batchSize(5));
        Path file = dir.resolve("nested.nabla");
        model.save(file);
        Model again = Model.load(file);
        assertArrayEquals(model.predict(in).toArray(), again.predict(in).toArray());
        assertTrue(again.network().namedParameters().containsKey("0.block.0.weight"), again.network().namedParameters().keySet().toString());
    }

    @Test
    void preprocessingTravelsWithTheModel() throws Exception {
        Sequential net = new Sequential(new Normalization(new float[]{10, -5}, new float[]{2, 4}), new Dense(1)).seed(1);
        Model model = new Model(net).targetScaling(new Model.TargetScaling(100, 20)).classNames(List.of());
        model.compile(p -> new Adam(p, 1e-2f), new MeanSquaredError(), new dev.nabla.metrics.MeanAbsoluteErrorMetric());
        Tensor raw = Tensor.of(new float[]{12, -1, 8, -9, 10, -5, 14, 3}, 4, 2);
        Tensor y = Tensor.of(new float[]{130, 70, 100, 160}, 4);
        model.fit(raw, y, new FitOptions().epochs(3).batchSize(2));
        Path file = dir.resolve("pre.nabla");
        model.save(file);
        Model again = Model.load(file);
        assertArrayEquals(model.predict(raw).toArray(), again.predict(raw).toArray());
        assertEquals(100, again.targetScaling().mean());
        // predictions are in the target's units, far from the standardised scale
        assertTrue(Math.abs(again.predict(raw).toArray()[0]) > 20, "prediction " + again.predict(raw).toArray()[0]);
        Model classes = new Model(new Sequential(new Dense(2)).seed(1)).classNames(List.of("cat", "dog"));
        classes.save(dir.resolve("c.nabla"));
        assertEquals(List.of("cat", "dog"), Model.load(dir.resolve("c.nabla")).classNames());
    }

    @Test
    void anArchitectureClaimingMoreThanItsWeightsIsRefusedBeforeAllocating() throws Exception {
        Model model = new Model(new Sequential(new Dense(2)).seed(1).build(3));
        Path file = dir.resolve("small.nabla");
        model.save(file);
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelArchive.read(file));
        String json = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        entries.put("model.json", json.replace("\"units\": 2", "\"units\": 2000000000").getBytes(StandardCharsets.UTF_8));
        assertNotEquals(json, new String(entries.get("model.json"), StandardCharsets.UTF_8), "the test must change the file");
        Path lying = dir.resolve("lying.nabla");
        ModelArchive.write(lying, entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(lying));
        assertTrue(e.getMessage().contains("more than the file's weights hold"), e.getMessage());
    }

    /** A user's own layer: one record, one class, one registration. */
    public static final class Scale extends Layer {
        public record Config(@Default("2") float factor) {
        }

        private final Config config;

        public Scale(Config config) {
            this.config = config;
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public int[] outputShape(int[] in) {
            return in.clone();
        }

        @Override
        protected Tensor call(Tensor x) {
            return x.mul(config.factor());
        }
    }

    @Test
    void aUserLayerSavesOnceRegistered() throws Exception {
        Sequential net = new Sequential(new Dense(2), new Scale(new Scale.Config(3))).seed(2).build(4);
        Model model = new Model(net);
        if (Layers.registry().find("test_scale") == null) {
            dev.nabla.config.ConfigException unregistered = assertThrows(dev.nabla.config.ConfigException.class,
                    () -> model.save(dir.resolve("u0.nabla")));
            assertTrue(unregistered.getMessage().contains("not a registered layer"), unregistered.getMessage());
            Layers.register(Layers.layer("test_scale", Scale.Config.class, Scale::new));
        }
        model.save(dir.resolve("u.nabla"));
        Tensor x = Tensor.ones(1, 4);
        assertArrayEquals(model.predict(x).toArray(), Model.load(dir.resolve("u.nabla")).predict(x).toArray());
    }
}
