package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays PyTorch 1.13 optimizer runs (fixtures made by {@code golden/make_optim_golden.py}): the same initial
 * parameters and gradients, step by step, and every step's parameters must match torch's within 1e-5 (absolute
 * plus relative).
 */
class OptimizerGoldenTest {

    private static final double TOLERANCE = 1e-5;

    static List<Golden.Case> cases() {
        return Golden.load("optim.txt");
    }

    @Test
    void fixtureCoversEveryOptimizer() {
        Set<String> kinds = new HashSet<>();
        for (Golden.Case c : cases()) kinds.add(c.param("optimizer"));
        assertEquals(Set.of("sgd", "adam", "adamw", "rmsprop", "adagrad"), kinds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAfterEveryStep(Golden.Case c) {
        String mismatch = replay(c, 1f);
        if (mismatch != null) fail(mismatch);
    }

    /** Guards against a replay that would pass whatever the optimizer did: a 1% larger rate must be caught. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void detectsAWrongLearningRate(Golden.Case c) {
        assertNotNull(replay(c, 1.01f), c + ": a 1% error in the learning rate went unnoticed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countsStepsPerParameterLikePyTorch(Golden.Case c) {
        List<Tensor> params = initialParameters(c);
        Optimizer opt = create(c, params, 1f);
        int steps = Integer.parseInt(c.param("steps"));
        for (int s = 1; s <= steps; s++) {
            feedGradients(c, params, s);
            opt.step();
        }
        assertEquals(steps, opt.steps());
        for (int i = 0; i < params.size(); i++) {
            float[] count = opt.state().get(i + ".step");
            if (count == null) continue;   // plain SGD keeps no state
            int fed = 0;
            for (int s = 1; s <= steps; s++) if (c.has("g" + i + "_s" + s)) fed++;
            assertEquals(fed, count[0], c + ": step count of parameter " + i);
        }
    }

    /** Runs the case; returns a description of the first mismatch, or null when every step matches. */
    private static String replay(Golden.Case c, float lrScale) {
        List<Tensor> params = initialParameters(c);
        Optimizer opt = create(c, params, lrScale);
        int steps = Integer.parseInt(c.param("steps"));
        for (int s = 1; s <= steps; s++) {
            feedGradients(c, params, s);
            opt.step();
            for (int i = 0; i < params.size(); i++) {
                float[] expected = c.tensor("p" + i + "_s" + s).values();
                float[] actual = params.get(i).toArray();
                for (int k = 0; k < expected.length; k++) {
                    double diff = Math.abs((double) actual[k] - expected[k]);
                    if (!(diff <= TOLERANCE + TOLERANCE * Math.abs(expected[k]))) {
                        return c + ": step " + s + ", parameter " + i + "[" + k + "]: expected " + expected[k]
                                + ", got " + actual[k];
                    }
                }
            }
        }
        return null;
    }

    private static List<Tensor> initialParameters(Golden.Case c) {
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; c.has("p" + i); i++) {
            Golden.Tensor t = c.tensor("p" + i);
            params.add(Tensor.of(t.values(), t.shape()).requiresGrad(true));
        }
        assertFalse(params.isEmpty(), c + ": no parameters");
        return params;
    }

    /** Sets step {@code s}'s gradients; a parameter the fixture skips at this step gets none, as in torch. */
    private static void feedGradients(Golden.Case c, List<Tensor> params, int s) {
        Set<String> skipped = skipped(c);
        for (int i = 0; i < params.size(); i++) {
            String name = "g" + i + "_s" + s;
            boolean skip = skipped.contains(i + ":" + s);
            assertEquals(skip, !c.has(name), c + ": gradient " + name + " and the skip list disagree");
            if (skip) {
                params.get(i).setGrad(null);
            } else {
                Golden.Tensor g = c.tensor(name);
                params.get(i).setGrad(Tensor.of(g.values(), g.shape()));
            }
        }
    }

    private static Set<String> skipped(Golden.Case c) {
        return c.has("skip") ? Set.of(c.param("skip").split(",")) : Set.of();
    }

    private static Optimizer create(Golden.Case c, List<Tensor> params, float lrScale) {
        float lr = (float) (d(c, "lr") * lrScale);
        Optimizer opt = switch (c.param("optimizer")) {
            case "sgd" -> new Sgd(params, lr, d(c, "momentum"), d(c, "dampening"), d(c, "weight_decay"),
                    b(c, "nesterov"));
            case "adam" -> new Adam(params, lr, d(c, "beta1"), d(c, "beta2"), d(c, "eps"), d(c, "weight_decay"),
                    b(c, "amsgrad"));
            case "adamw" -> new AdamW(params, lr, d(c, "beta1"), d(c, "beta2"), d(c, "eps"), d(c, "weight_decay"),
                    b(c, "amsgrad"));
            case "rmsprop" -> new RmsProp(params, lr, d(c, "alpha"), d(c, "eps"), d(c, "weight_decay"),
                    d(c, "momentum"), b(c, "centered"));
            case "adagrad" -> new Adagrad(params, lr, d(c, "lr_decay"), d(c, "weight_decay"),
                    d(c, "initial_accumulator_value"), d(c, "eps"));
            default -> throw new IllegalArgumentException(c + ": unknown optimizer " + c.param("optimizer"));
        };
        assertEquals(c.param("optimizer"), opt.name());
        return opt;
    }

    private static double d(Golden.Case c, String key) {
        return Double.parseDouble(c.param(key));
    }

    private static boolean b(Golden.Case c, String key) {
        String v = c.param(key);
        assertTrue(v.equals("true") || v.equals("false"), c + ": " + key + " is not a boolean: " + v);
        return Boolean.parseBoolean(v);
    }
}
