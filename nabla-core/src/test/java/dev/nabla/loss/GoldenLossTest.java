package dev.nabla.loss;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every loss against PyTorch 1.13 (fixtures made by {@code golden/make_loss_golden.py}): the loss value, and the
 * gradient of {@code loss * gout} with respect to the predictions (and the targets, where torch differentiates them).
 */
class GoldenLossTest {

    static List<Golden.Case> cases() {
        return Golden.load("losses.txt");
    }

    @Test
    void fixtureCoversEveryLossAndOption() {
        Set<String> seen = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Golden.Case c : cases()) {
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
            seen.add(c.param("op") + "/" + c.param("reduction"));
            if (c.has("smoothing") && Float.parseFloat(c.param("smoothing")) > 0) seen.add(c.param("op") + "/smoothing");
        }
        for (String op : List.of("mse", "mae", "huber", "bce_logits", "bce_probs", "cce", "scce")) {
            assertTrue(seen.contains(op + "/mean"), op + " mean");
            assertTrue(seen.contains(op + "/sum"), op + " sum");
        }
        assertTrue(seen.contains("cce/smoothing") && seen.contains("scce/smoothing"), "label smoothing cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(Golden.Case c) {
        Loss loss = loss(c);
        Tensor x = toTensor(c.tensor("x")).requiresGrad(true);
        Tensor target = toTensor(c.tensor("target"));
        boolean targetGrad = c.has("grad_target");
        if (targetGrad) target.requiresGrad(true);

        Tensor out = loss.compute(x, target);
        assertArrayEquals(new int[0], out.shape(), c + ": loss is a scalar");
        assertClose(c + " out", c.tensor("out").values(), out.toArray());

        out.backward(toTensor(c.tensor("gout")));
        assertArrayEquals(x.shape(), x.grad().shape(), c + ": grad_x shape");
        assertClose(c + " grad_x", c.tensor("grad_x").values(), x.grad().toArray());
        if (targetGrad) {
            assertClose(c + " grad_target", c.tensor("grad_target").values(), target.grad().toArray());
        } else {
            assertNull(target.grad(), c + ": targets did not ask for a gradient");
        }
    }

    static Loss loss(Golden.Case c) {
        Reduction r = Reduction.valueOf(c.param("reduction").toUpperCase());
        return switch (c.param("op")) {
            case "mse" -> new MeanSquaredError(r);
            case "mae" -> new MeanAbsoluteError(r);
            case "huber" -> new Huber(Float.parseFloat(c.param("delta")), r);
            case "bce_logits" -> new BinaryCrossEntropy(true, r);
            case "bce_probs" -> new BinaryCrossEntropy(false, r);
            case "cce" -> new CategoricalCrossEntropy(Float.parseFloat(c.param("smoothing")), r);
            case "scce" -> new SparseCategoricalCrossEntropy(Float.parseFloat(c.param("smoothing")), r);
            default -> throw new IllegalArgumentException(c + ": unknown op " + c.param("op"));
        };
    }

    static Tensor toTensor(Golden.Tensor t) {
        return t.shape().length == 0 ? Tensor.scalar(t.values()[0]) : Tensor.of(t.values(), t.shape());
    }

    /** Within float rounding of PyTorch's result: 1e-5 relative, 1e-5 absolute. */
    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 + 1e-5 * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                fail(what + "[" + i + "]: PyTorch " + expected[i] + ", Nabla " + actual[i]);
            }
        }
    }
}
