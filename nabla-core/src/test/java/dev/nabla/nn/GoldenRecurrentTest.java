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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * lstm, gru and simplernn against PyTorch 1.13's {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN} given the same
 * weights (fixtures by {@code golden/make_rnn_golden.py}): outputs, and the gradients of {@code sum(out * gout)} with
 * respect to the input, the initial states and every weight; last state and sequences, bidirectional, stacked, and
 * masked cases (PyTorch's {@code pack_padded_sequence}, padded steps holding values that must not count).
 */
class GoldenRecurrentTest {

    static List<Golden.Case> cases() {
        return Golden.load("rnn.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Golden.Case c) {
        Recurrent layer = (Recurrent) Layers.fromToken(c.param("layer"), c.name());
        Golden.Tensor in = c.tensor("x");
        Tensor x = GoldenChecks.tensor(in).requiresGrad(true);
        Tensor h0 = c.has("h0") ? GoldenChecks.tensor(c.tensor("h0")).requiresGrad(true) : null;
        Tensor c0 = c.has("c0") ? GoldenChecks.tensor(c.tensor("c0")).requiresGrad(true) : null;
        if (h0 == null) {
            layer.ensureBuilt(Arrays.copyOfRange(in.shape(), 1, in.shape().length));
        } else {
            layer.build(c0 == null ? List.of(sample(x), sample(h0)) : List.of(sample(x), sample(h0), sample(c0)));
        }
        Map<String, Tensor> params = layer.namedParameters();
        for (var p : params.entrySet()) {
            Golden.Tensor source = c.tensor(p.getKey());
            assertArrayEquals(source.shape(), p.getValue().shape(), c.name() + ": shape of " + p.getKey());
            System.arraycopy(source.values(), 0, p.getValue().data(), p.getValue().offset(), source.size());
        }
        Tensor xin = c.has("lengths") ? x.withMask(mask(c.intsParam("lengths"), in.shape()[1])) : x;
        List<Tensor> inputs = new java.util.ArrayList<>(List.of(xin));
        if (h0 != null) inputs.add(h0);
        if (c0 != null) inputs.add(c0);
        Tensor out = layer.forward(inputs);
        assertClose(c, "out", out);
        out.backward(GoldenChecks.tensor(c.tensor("gout")));
        assertClose(c, "grad_x", x.grad());
        if (h0 != null) assertClose(c, "grad_h0", h0.grad());
        if (c0 != null) assertClose(c, "grad_c0", c0.grad());
        for (var p : params.entrySet()) assertClose(c, "grad_" + p.getKey(), p.getValue().grad());
    }

    /** The per-step products on either GEMM (oneDNN's on one thread, Nabla's split by samples on several). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchOnEitherStepGemm(Golden.Case c) {
        for (String gemm : new String[]{"native", "java"}) {
            System.setProperty("nabla.rnn.gemm", gemm);
            try {
                matchesPyTorch(c);
            } finally {
                System.clearProperty("nabla.rnn.gemm");
            }
        }
    }

    /** Every tensor in the file is compared or used: none is left over because a name went wrong on one side. */
    @Test
    void everyFixtureTensorIsRead() {
        for (Golden.Case c : cases()) {
            Layer layer = Layers.fromToken(c.param("layer"), c.name());
            Golden.Tensor in = c.tensor("x");
            layer.ensureBuilt(Arrays.copyOfRange(in.shape(), 1, in.shape().length));
            Set<String> expected = new TreeSet<>(Set.of("x", "gout", "out", "grad_x"));
            for (String s : new String[]{"h0", "c0"}) {
                if (c.has(s)) expected.addAll(List.of(s, "grad_" + s));
            }
            for (String p : layer.namedParameters().keySet()) expected.addAll(List.of(p, "grad_" + p));
            assertEquals(expected, new TreeSet<>(c.tensorNames()), c.name());
        }
    }

    static Tensor mask(int[] lengths, int steps) {
        float[] m = new float[lengths.length * steps];
        for (int i = 0; i < lengths.length; i++) for (int t = 0; t < lengths[i]; t++) m[i * steps + t] = 1f;
        return Tensor.wrap(m, lengths.length, steps);
    }

    private static int[] sample(Tensor t) {
        return Arrays.copyOfRange(t.shape(), 1, t.rank());
    }

    /** Within float rounding of PyTorch's result, over a few dozen steps: 2e-5 relative plus 2e-5 absolute. */
    private static void assertClose(Golden.Case c, String name, Tensor actual) {
        GoldenChecks.assertClose(c, name, actual, 2e-5, 2e-5);
    }
}
