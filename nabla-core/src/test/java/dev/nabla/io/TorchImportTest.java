package dev.nabla.io;

import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv1D;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Direction;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GRU;
import dev.nabla.nn.GlobalAveragePool1D;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Module;
import dev.nabla.nn.MultiHeadAttention;
import dev.nabla.nn.Node;
import dev.nabla.nn.PReLU;
import dev.nabla.nn.Padding;
import dev.nabla.nn.SimpleRNN;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch state_dicts (made by {@code torch_import/make_torch_import.py} with torch 1.13: an MLP, a CNN with batch
 * norm, a bidirectional LSTM, a two-layer GRU, an embedding + transformer encoder layer, a Conv1d + PReLU + RNN, cross-attention with other key/value sizes) imported into the same
 * architectures built in Nabla give PyTorch's eval-mode outputs on the same inputs: float32 weights within 1e-5
 * relative; float16 and bfloat16 weights (widened exactly) against PyTorch run on the same rounded weights, to the
 * same tolerance.
 */
class TorchImportTest {

    static final Map<String, Supplier<Module>> MODELS = Map.of(
            "mlp", () -> new Sequential(new Dense(8, Activation.RELU), new Dense(6, Activation.TANH), new Dense(3)).build(4),
            "cnn", () -> new Sequential(new Conv2D(4, 3, 1, 1, Activation.LINEAR), new BatchNorm(),
                    new ActivationLayer(Activation.RELU), new MaxPool2D(2), new Flatten(), new Dense(5), new BatchNorm(),
                    new ActivationLayer(Activation.RELU), new Dense(3)).build(2, 6, 6),
            "lstm", () -> new Sequential(new LSTM(new LSTM.Config(5, Direction.BIDIRECTIONAL, false, 1)), new Dense(2)).build(6, 3),
            "gru", () -> new Sequential(new GRU(new GRU.Config(4, Direction.FORWARD, false, 2)), new Dense(2)).build(7, 3),
            "transformer", () -> new Sequential(new Embedding(11, 8),
                    new TransformerEncoder(new TransformerEncoder.Config(2, 16, 0f, Activation.GELU, false, 1e-5f)),
                    new GlobalAveragePool1D(), new Dense(3)).build(5),
            "sequence", () -> new Sequential(new Conv1D(new Conv1D.Config(3, 3, Activation.LINEAR, Padding.of(1), 1, 1, 1,
                    true, Conv1D.DataFormat.CHANNELS_LAST)), new PReLU(new PReLU.Config(0.25f, true)), new SimpleRNN(4),
                    new Dense(2)).build(8, 2),
            "cross_attention", TorchImportTest::crossAttention);

    static final List<String> NAMES = List.of("mlp", "cnn", "lstm", "gru", "transformer", "sequence", "cross_attention");

    /** Queries [3, 4] attending to keys and values [5, 6]: PyTorch's q/k/v_proj_weight rather than in_proj_weight. */
    private static Module crossAttention() {
        Node q = Graph.input("q", 3, 4);
        Node kv = Graph.input("kv", 5, 6);
        Node att = new MultiHeadAttention(2).on(q, kv);
        return new Graph(List.of(q, kv), List.of(new Dense(2).on(new GlobalAveragePool1D().on(att)))).build();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String m : NAMES) {
            for (String d : List.of("f32", "f16", "bf16")) out.add(Arguments.of(m, d));
        }
        return out.stream();
    }

    static Path resource(String name) {
        try {
            return Path.of(TorchImportTest.class.getResource("/torch_import/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Tensor> io(String model) throws Exception {
        return SafeTensors.read(java.nio.file.Files.readAllBytes(resource(model + "_io.safetensors"))).tensors();
    }

    static Tensor predict(Module net, Tensor x) {
        net.train(false);
        return net.forward(x);
    }

    static Tensor predict(Module net, List<Tensor> x) {
        net.train(false);
        return net.forward(x);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(String model, String dtype) throws Exception {
        Module net = MODELS.get(model).get();
        TorchImportReport report = TorchWeights.load(net, resource(model + "_" + dtype + ".safetensors"));
        assertTrue(report.missingKeys().isEmpty() && report.unexpectedKeys().isEmpty(), report.toString());
        Map<String, Tensor> io = io(model);
        float[] got = (io.containsKey("input1") ? predict(net, List.of(io.get("input"), io.get("input1")))
                : predict(net, io.get("input"))).toArray();
        float[] want = io.get(dtype).toArray();
        assertEquals(want.length, got.length);
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(want[i]), 1e-3));
            assertTrue(d <= 1e-6 + 1e-5 * Math.abs(want[i]),
                    model + " " + dtype + " output " + i + ": nabla " + got[i] + ", torch " + want[i]);
        }
        // measured (torch 1.13, these fixtures, all cases): max abs diff 3.6e-7; max |diff| / max(|torch|, 1e-3) 7.8e-6,
        // on outputs near zero (kernels may sum in another order from run to run: the last bits vary)
        assertTrue(maxAbs < 1e-5 && maxRel < 1e-4, model + " " + dtype + ": max differences " + maxAbs + ", " + maxRel);
    }

    /** As docs/torch-import.md shows: an imported network saved as a model file loads and predicts the same. */
    @org.junit.jupiter.api.Test
    void importedModelSavesAndLoads(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Module net = MODELS.get("cnn").get();
        TorchWeights.load(new dev.nabla.train.Model(net), resource("cnn_bf16.safetensors"));
        Path file = dir.resolve("cnn.nabla");
        new dev.nabla.train.Model(net).save(file);
        Map<String, Tensor> io = io("cnn");
        float[] loaded = dev.nabla.train.Model.load(file).predict(io.get("input")).toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(predict(net, io.get("input")).toArray(), loaded);
        float[] want = io.get("bf16").toArray();
        for (int i = 0; i < want.length; i++) assertTrue(Math.abs(loaded[i] - want[i]) <= 1e-6 + 1e-5 * Math.abs(want[i]));
    }

    /** The rounded weights' outputs differ from the float32 ones, so the f16/bf16 cases test that halves are decoded. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("halfCases")
    void roundedWeightsGiveOtherOutputs(String model) throws Exception {
        Map<String, Tensor> io = io(model);
        float[] f32 = io.get("f32").toArray();
        for (String d : List.of("f16", "bf16")) {
            float[] h = io.get(d).toArray();
            double max = 0;
            for (int i = 0; i < h.length; i++) max = Math.max(max, Math.abs(h[i] - f32[i]));
            assertTrue(max > 1e-5, model + " " + d + " outputs equal float32's: the fixture tests nothing");
        }
    }

    static Stream<String> halfCases() {
        return NAMES.stream();
    }
}
