package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Saving and restoring optimizer state: 3 steps, a save through {@link Optimizer#state()}, a load into a fresh
 * optimizer and 3 more steps must give bit for bit what 6 uninterrupted steps give.
 */
class OptimizerStateTest {

    private static final int[][] SHAPES = {{3, 4}, {5}};
    private static final int STEPS = 6;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd momentum dampening", (Function<List<Tensor>, Optimizer>)
                        ps -> new Sgd(ps, 0.1f, 0.9, 0.25, 0.01, false)),
                Arguments.of("sgd nesterov", (Function<List<Tensor>, Optimizer>)
                        ps -> new Sgd(ps, 0.1f, 0.9, 0, 0.01, true)),
                Arguments.of("adam amsgrad", (Function<List<Tensor>, Optimizer>)
                        ps -> new Adam(ps, 0.05f, 0.9, 0.999, 1e-8, 0.01, true)),
                Arguments.of("adamw", (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, 0.05f)),
                Arguments.of("rmsprop centered momentum", (Function<List<Tensor>, Optimizer>)
                        ps -> new RmsProp(ps, 0.01f, 0.9, 1e-8, 0.01, 0.8, true)),
                Arguments.of("adagrad lr decay", (Function<List<Tensor>, Optimizer>)
                        ps -> new Adagrad(ps, 0.1f, 0.05, 0.01, 0.1, 1e-10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromSavedStateIsExact(String label, Function<List<Tensor>, Optimizer> factory) {
        float[][][] grads = gradients();

        List<Tensor> straight = initialParameters();
        Optimizer a = factory.apply(straight);
        Map<String, float[]> fresh = copy(a.state());
        run(a, straight, grads, 0, STEPS);

        List<Tensor> firstHalf = initialParameters();
        Optimizer b = factory.apply(firstHalf);
        run(b, firstHalf, grads, 0, STEPS / 2);
        Map<String, float[]> saved = copy(b.state());   // a checkpoint holds copies, not the live arrays

        List<Tensor> resumed = copyValues(firstHalf);
        Optimizer c = factory.apply(resumed);
        c.loadState(saved, b.steps());
        run(c, resumed, grads, STEPS / 2, STEPS);

        assertEquals(a.steps(), c.steps());
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).toArray(), resumed.get(i).toArray(), 0f, label + ": parameter " + i);
        }
        assertEquals(a.state().keySet(), c.state().keySet());
        for (String key : a.state().keySet()) {
            assertArrayEquals(a.state().get(key), c.state().get(key), 0f, label + ": state " + key);
        }
        // State is complete from construction on: stepping adds no entries.
        assertEquals(fresh.keySet(), a.state().keySet());

        // And the state matters: resuming without it must not reproduce the run (so this test can fail).
        List<Tensor> cold = copyValues(firstHalf);
        Optimizer d = factory.apply(cold);
        run(d, cold, grads, STEPS / 2, STEPS);
        assertFalse(Arrays.equals(straight.get(0).toArray(), cold.get(0).toArray()),
                label + ": a restart without the saved state gave the same parameters");
    }

    @Test
    void loadStateRejectsStateOfAnotherModel() {
        Optimizer adam = new Adam(initialParameters());
        Map<String, float[]> wrongSize = new HashMap<>(copy(adam.state()));
        wrongSize.put("0.exp_avg", new float[3]);
        assertThrows(IllegalArgumentException.class, () -> adam.loadState(wrongSize, 1));
        Map<String, float[]> unknown = Map.of("7.exp_avg", new float[12]);
        assertThrows(IllegalArgumentException.class, () -> adam.loadState(unknown, 1));
        Map<String, float[]> sgdState = copy(new Sgd(initialParameters(), 0.1f, 0.9).state());
        assertThrows(IllegalArgumentException.class, () -> adam.loadState(sgdState, 1));
    }

    @Test
    void stateIsNamedLikePyTorchs() {
        List<Tensor> ps = initialParameters();
        assertEquals(List.of("0.step", "1.step", "0.exp_avg", "1.exp_avg", "0.exp_avg_sq", "1.exp_avg_sq",
                        "0.max_exp_avg_sq", "1.max_exp_avg_sq"),
                List.copyOf(new Adam(ps, 0.01f, 0.9, 0.999, 1e-8, 0, true).state().keySet()));
        assertEquals(List.of("0.momentum_buffer", "1.momentum_buffer", "0.step", "1.step"),
                List.copyOf(new Sgd(ps, 0.1f, 0.9).state().keySet()));
        assertEquals(Map.of(), new Sgd(ps, 0.1f).state());
        assertEquals(List.of("0.step", "1.step", "0.square_avg", "1.square_avg", "0.momentum_buffer",
                        "1.momentum_buffer", "0.grad_avg", "1.grad_avg"),
                List.copyOf(new RmsProp(ps, 0.01f, 0.99, 1e-8, 0, 0.5, true).state().keySet()));
        Map<String, float[]> adagrad = new Adagrad(ps, 0.01f, 0, 0, 0.25, 1e-10).state();
        assertEquals(List.of("0.step", "1.step", "0.sum", "1.sum"), List.copyOf(adagrad.keySet()));
        float[] expected = new float[12];
        Arrays.fill(expected, 0.25f);
        assertArrayEquals(expected, adagrad.get("0.sum"), 0f);
        assertEquals(12, adagrad.get("0.sum").length);
    }

    private static void run(Optimizer opt, List<Tensor> params, float[][][] grads, int from, int to) {
        for (int s = from; s < to; s++) {
            for (int i = 0; i < params.size(); i++) {
                // Parameter 1 has no gradient at step 2 (index 1), so per-parameter step counts diverge.
                params.get(i).setGrad(i == 1 && s == 1 ? null : Tensor.of(grads[s][i], SHAPES[i]));
            }
            opt.step();
        }
    }

    private static float[][][] gradients() {
        SplittableRandom rng = new SplittableRandom(7);
        float[][][] g = new float[STEPS][SHAPES.length][];
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < SHAPES.length; i++) {
                g[s][i] = Tensor.randn(rng, SHAPES[i]).toArray();
            }
        }
        return g;
    }

    private static List<Tensor> initialParameters() {
        SplittableRandom rng = new SplittableRandom(3);
        List<Tensor> ps = new ArrayList<>();
        for (int[] shape : SHAPES) ps.add(Tensor.randn(rng, shape).requiresGrad(true));
        return ps;
    }

    private static List<Tensor> copyValues(List<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) out.add(Tensor.of(p.toArray(), p.shape()).requiresGrad(true));
        return out;
    }

    private static Map<String, float[]> copy(Map<String, float[]> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
