package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import dev.nabla.testing.GoldenChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Layers with weights against PyTorch 1.13 (fixtures made by {@code golden/make_layer_golden.py}): the layer is made
 * from the case's command-line token, its weights are set to PyTorch's, and its output and the gradients of
 * {@code sum(out * gout)} with respect to the input and every parameter must match; batch normalisation also over a
 * second training step, its running statistics, and a step in inference mode.
 */
class GoldenLayerTest {

    static List<Golden.Case> layers() {
        return Golden.load("layers.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void matchesPyTorch(Golden.Case c) {
        Layer layer = Layers.fromToken(c.param("layer"), c.name());
        boolean ids = c.has("ids");
        Golden.Tensor in = c.tensor(ids ? "ids" : "x");
        layer.ensureBuilt(Arrays.copyOfRange(in.shape(), 1, in.shape().length));
        Map<String, Tensor> params = layer.namedParameters();
        for (var p : params.entrySet()) GoldenChecks.copyInto(c, p.getKey(), p.getValue());

        layer.train(true);
        Tensor x = GoldenChecks.tensor(in).requiresGrad(!ids);
        Tensor out = layer.forward(x);
        assertClose(c, "out", out);
        out.backward(GoldenChecks.tensor(c.tensor("gout")));
        if (!ids) assertClose(c, "grad_x", x.grad());
        for (var p : params.entrySet()) assertClose(c, "grad_" + p.getKey(), p.getValue().grad());

        if (c.has("x2")) {
            assertClose(c, "out2", layer.forward(GoldenChecks.tensor(c.tensor("x2"))));
            for (var b : layer.namedBuffers().entrySet()) assertClose(c, b.getKey(), b.getValue());
        }
        if (c.has("x_eval")) {
            layer.zeroGrad();
            layer.train(false);
            Tensor xe = GoldenChecks.tensor(c.tensor("x_eval")).requiresGrad(true);
            Tensor oe = layer.forward(xe);
            assertClose(c, "out_eval", oe);
            oe.backward(GoldenChecks.tensor(c.tensor("gout_eval")));
            assertClose(c, "grad_x_eval", xe.grad());
            for (var p : params.entrySet()) assertClose(c, "grad_" + p.getKey() + "_eval", p.getValue().grad());
        }
    }

    /** Every tensor in the file is compared: none is left over because a name went wrong on one side. */
    @Test
    void everyFixtureTensorIsRead() {
        Set<String> inputs = Set.of("x", "ids", "gout", "x2", "x_eval", "gout_eval");
        for (Golden.Case c : layers()) {
            Layer layer = Layers.fromToken(c.param("layer"), c.name());
            Golden.Tensor in = c.tensor(c.has("ids") ? "ids" : "x");
            layer.ensureBuilt(Arrays.copyOfRange(in.shape(), 1, in.shape().length));
            Set<String> expected = new TreeSet<>(Set.of("out"));
            if (!c.has("ids")) expected.add("grad_x");
            for (String p : layer.namedParameters().keySet()) {
                expected.add(p);
                expected.add("grad_" + p);
                if (c.has("x_eval")) expected.add("grad_" + p + "_eval");
            }
            if (c.has("x2")) {
                expected.add("out2");
                expected.addAll(layer.namedBuffers().keySet());
            }
            if (c.has("x_eval")) expected.addAll(List.of("out_eval", "grad_x_eval"));
            Set<String> actual = new TreeSet<>(c.tensorNames());
            actual.removeAll(inputs);
            assertEquals(expected, actual, c.name());
            assertTrue(layer.parameterCount() > 0, c.name() + ": a golden case for a layer without weights");
        }
    }

    /** Within float rounding of PyTorch's result: 1e-5 relative plus 1e-5 absolute, as for the ops. */
    private static void assertClose(Golden.Case c, String name, Tensor actual) {
        GoldenChecks.assertClose(c, name, actual, 1e-5, 1e-5);
    }
}
