package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import dev.nabla.testing.GoldenChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Multi-head attention and the transformer encoder block against PyTorch 1.13's {@code nn.MultiheadAttention} and
 * {@code nn.TransformerEncoderLayer(batch_first=True)} (fixtures made by {@code golden/make_attention_golden.py}):
 * self, cross and query/key/value attention, causal, padded keys, pre- and post-norm, ReLU and GELU. The layer is made
 * from the case's token, its weights set to PyTorch's; the output and the gradients of {@code sum(out * gout)} with
 * respect to every input and parameter must match.
 */
class GoldenAttentionTest {

    static List<Golden.Case> cases() {
        return Golden.load("attention.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Golden.Case c) {
        Layer layer = Layers.fromToken(c.param("layer"), c.name());
        List<Tensor> inputs = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; c.has("x" + i); i++) {
            Golden.Tensor t = c.tensor("x" + i);
            inputs.add(GoldenChecks.tensor(t).requiresGrad(true));
            shapes.add(Arrays.copyOfRange(t.shape(), 1, t.shape().length));
        }
        layer.build(shapes);
        Map<String, Tensor> params = layer.namedParameters();
        for (var p : params.entrySet()) GoldenChecks.copyInto(c, p.getKey(), p.getValue());
        layer.train(true);
        Tensor mask = c.has("mask") ? GoldenChecks.tensor(c.tensor("mask")) : null;

        Tensor out = forward(layer, inputs, mask);
        assertClose(c, "out", out);
        out.backward(GoldenChecks.tensor(c.tensor("gout")));
        for (int i = 0; i < inputs.size(); i++) assertClose(c, "grad_x" + i, inputs.get(i).grad());
        for (var p : params.entrySet()) assertClose(c, "grad_" + p.getKey(), p.getValue().grad());
    }

    /** Runs the layer; a padding mask rides on the key input (the second of several, or the only one). */
    static Tensor forward(Layer layer, List<Tensor> inputs, Tensor mask) {
        if (mask == null) return layer.forward(inputs);
        List<Tensor> masked = new ArrayList<>(inputs);
        int key = Math.min(1, inputs.size() - 1);
        masked.set(key, inputs.get(key).withMask(mask));
        return layer.forward(masked);
    }

    /** Every tensor in the file is compared: none is left over because a name went wrong on one side. */
    @Test
    void everyFixtureTensorIsRead() {
        for (Golden.Case c : cases()) {
            Layer layer = Layers.fromToken(c.param("layer"), c.name());
            List<int[]> shapes = new ArrayList<>();
            Set<String> expected = new TreeSet<>(Set.of("out", "gout"));
            for (int i = 0; c.has("x" + i); i++) {
                int[] s = c.tensor("x" + i).shape();
                shapes.add(Arrays.copyOfRange(s, 1, s.length));
                expected.add("x" + i);
                expected.add("grad_x" + i);
            }
            if (c.has("mask")) expected.add("mask");
            layer.build(shapes);
            for (String p : layer.namedParameters().keySet()) {
                expected.add(p);
                expected.add("grad_" + p);
            }
            assertEquals(expected, new TreeSet<>(c.tensorNames()), c.name());
        }
    }

    /** Within float rounding of PyTorch's result: 1e-5 absolute plus 1e-4 relative (softmaxes and layer norms in a row). */
    private static void assertClose(Golden.Case c, String name, Tensor actual) {
        GoldenChecks.assertClose(c, name, actual, 1e-5, 1e-4);
    }
}
