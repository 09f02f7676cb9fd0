package dev.nabla.testing;

import dev.nabla.autograd.GradMode;
import dev.nabla.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares the gradients autograd computes with central finite differences. The scalar being differentiated is
 * {@code sum(f(inputs) * r)} for a fixed random {@code r}, so every output element matters; it is accumulated in
 * double precision, and the difference quotient too.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /** Checks d sum(f(x) * r) / dx for every input with the default step and tolerance. */
    public static void check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(op, f, 1e-2, 2e-2, inputs);
    }

    public static void check(String op, Function<Tensor[], Tensor> f, double eps, double tolerance, Tensor... inputs) {
        Map<String, Tensor> wrt = new LinkedHashMap<>();
        for (int t = 0; t < inputs.length; t++) wrt.put("input " + t, inputs[t]);
        check(op, () -> f.apply(inputs), wrt, eps, tolerance);
    }

    /**
     * Checks d sum(f() * r) / dt for every tensor t of {@code wrt} (inputs and a module's parameters, by name for the
     * messages): {@code f} must read them, in place, on every call; each element is moved by {@code ±eps} in turn.
     * Gradients already on the tensors are cleared first.
     */
    public static void check(String op, Supplier<Tensor> f, Map<String, Tensor> wrt, double eps, double tolerance) {
        for (Tensor t : wrt.values()) {
            t.requiresGrad(true);
            t.zeroGrad();
        }
        Tensor out = f.get();
        SplittableRandom rng = new SplittableRandom(op.hashCode());
        float[] weights = new float[out.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor r = Tensor.of(weights, out.shape());
        out.mul(r).sum().backward();
        for (var e : wrt.entrySet()) {
            Tensor input = e.getValue();
            Tensor grad = input.grad();
            assertNotNull(grad, op + ": " + e.getKey() + " got no gradient");
            float[] analytic = grad.toArray();
            float[] x = input.data();
            for (int i = 0; i < input.size(); i++) {
                int pos = input.offset() + i;
                float saved = x[pos];
                x[pos] = (float) (saved + eps);
                double plus = weightedSum(f, weights);
                x[pos] = (float) (saved - eps);
                double minus = weightedSum(f, weights);
                x[pos] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double error = Math.abs(numeric - analytic[i]);
                if (error > tolerance * Math.max(1.0, Math.abs(numeric))) {
                    fail(op + ": gradient of " + e.getKey() + " at element " + i + ": autograd " + analytic[i]
                            + ", finite difference " + numeric);
                }
            }
        }
    }

    private static double weightedSum(Supplier<Tensor> f, float[] weights) {
        try (var ignored = GradMode.noGrad()) {
            float[] out = f.get().toArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) sum += (double) out[i] * weights[i];
            return sum;
        }
    }

    /** A tensor of values uniform in [low, high) from a seeded generator, contiguous and owning its data. */
    public static Tensor uniform(long seed, float low, float high, int... shape) {
        return Tensor.uniform(new SplittableRandom(seed), low, high, shape);
    }

    /** Values uniform in [low, high) with random signs: |x| is at least {@code low}, away from kinks at 0. */
    public static Tensor awayFromZero(long seed, float low, float high, int... shape) {
        Tensor t = uniform(seed, low, high, shape);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (rng.nextBoolean()) d[i] = -d[i];
        return t;
    }
}
