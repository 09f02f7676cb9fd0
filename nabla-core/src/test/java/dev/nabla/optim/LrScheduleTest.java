package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning-rate schedules against {@code torch.optim.lr_scheduler} (fixtures made by
 * {@code golden/make_optim_golden.py}): the rate of every epoch, both from the pure schedule and as an
 * {@link EpochScheduler} or {@link ReduceOnPlateau} sets it on an optimizer.
 */
class LrScheduleTest {

    static List<Golden.Case> schedules() {
        return Golden.load("lr_schedules.txt").stream().filter(c -> !c.param("schedule").equals("plateau")).toList();
    }

    static List<Golden.Case> plateaus() {
        return Golden.load("lr_schedules.txt").stream().filter(c -> c.param("schedule").equals("plateau")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void scheduleMatchesPyTorch(Golden.Case c) {
        LearningRateSchedule schedule = schedule(c);
        float base = (float) d(c, "base_lr");
        float[] expected = c.tensor("lr").values();
        for (int e = 0; e < expected.length; e++) {
            assertClose(expected[e], schedule.learningRate(e, base), c + " epoch " + e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void epochSchedulerSetsTheOptimizersRate(Golden.Case c) {
        Optimizer opt = new Sgd(List.of(), (float) d(c, "base_lr"));
        EpochScheduler scheduler = new EpochScheduler(opt, schedule(c));
        float[] expected = c.tensor("lr").values();
        for (int e = 0; e < expected.length; e++) {
            assertEquals(e, scheduler.epoch());
            assertClose(expected[e], opt.learningRate(), c + " epoch " + e);
            scheduler.step(123.0);   // the metric is ignored
        }
        scheduler.setEpoch(2);   // resuming recomputes from the base rate, not from the current one
        assertClose(expected[2], opt.learningRate(), c + " after setEpoch(2)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plateaus")
    void reduceOnPlateauMatchesPyTorch(Golden.Case c) {
        Optimizer opt = new Sgd(List.of(), (float) d(c, "base_lr"));
        LrScheduler scheduler = plateau(c, opt);
        float[] metrics = c.tensor("metrics").values();
        float[] expected = c.tensor("lr").values();
        assertEquals(metrics.length + 1, expected.length);
        assertClose(expected[0], opt.learningRate(), c + " before the first epoch");
        for (int e = 0; e < metrics.length; e++) {
            scheduler.step(metrics[e]);
            assertEquals(e + 1, scheduler.epoch());
            assertClose(expected[e + 1], opt.learningRate(), c + " after epoch " + e + " (metric " + metrics[e] + ")");
        }
    }

    @Test
    void reduceOnPlateauResumesFromRestoredCounters() {
        float[] metrics = {1f, 0.9f, 0.95f, 0.95f, 0.8f, 0.85f, 0.85f, 0.85f, 0.85f};
        Optimizer whole = new Sgd(List.of(), 0.1f);
        ReduceOnPlateau a = new ReduceOnPlateau(whole, ReduceOnPlateau.Mode.MIN, 0.5, 1, 0);
        for (float m : metrics) a.step(m);

        Optimizer first = new Sgd(List.of(), 0.1f);
        ReduceOnPlateau b = new ReduceOnPlateau(first, ReduceOnPlateau.Mode.MIN, 0.5, 1, 0);
        for (int e = 0; e < 4; e++) b.step(metrics[e]);
        Optimizer resumed = new Sgd(List.of(), first.learningRate());
        ReduceOnPlateau c = new ReduceOnPlateau(resumed, ReduceOnPlateau.Mode.MIN, 0.5, 1, 0);
        c.restore(b.epoch(), b.best(), b.badEpochs(), b.cooldownCounter());
        for (int e = 4; e < metrics.length; e++) c.step(metrics[e]);

        assertEquals(whole.learningRate(), resumed.learningRate());
        assertEquals(a.best(), c.best());
        assertEquals(a.badEpochs(), c.badEpochs());
        assertEquals(a.epoch(), c.epoch());
        assertTrue(whole.learningRate() < 0.1f, "the sequence should have reduced the rate");
    }

    @Test
    void warmupOfZeroEpochsIsTheScheduleItself() {
        LearningRateSchedule cosine = new CosineAnnealing(5, 0.01);
        LinearWarmup warmup = new LinearWarmup(0, cosine);
        for (int e = 0; e < 8; e++) assertEquals(cosine.learningRate(e, 0.3f), warmup.learningRate(e, 0.3f));
        LinearWarmup flat = new LinearWarmup(4);
        assertEquals(0.075f, flat.learningRate(2, 0.1f), 1e-9f);
        assertEquals(0.1f, flat.learningRate(9, 0.1f));
    }

    @Test
    void rejectsInvalidSettings() {
        Optimizer opt = new Sgd(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1f);
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(2, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(-1));
        assertThrows(NullPointerException.class, () -> new LinearWarmup(2, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 1.0, 2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 0.5, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochScheduler(opt, new ExponentialDecay(0.9)).setEpoch(-1));
    }

    private static LearningRateSchedule schedule(Golden.Case c) {
        return switch (c.param("schedule")) {
            case "step" -> stepDecay(c);
            case "exponential" -> new ExponentialDecay(d(c, "gamma"));
            case "cosine" -> cosine(c);
            case "warmup_step" -> new LinearWarmup(i(c, "warmup"), stepDecay(c));
            case "warmup_cosine" -> new LinearWarmup(i(c, "warmup"), cosine(c));
            case "warmup_exponential" -> new LinearWarmup(i(c, "warmup"), new ExponentialDecay(d(c, "gamma")));
            default -> throw new IllegalArgumentException(c + ": unknown schedule " + c.param("schedule"));
        };
    }

    private static StepDecay stepDecay(Golden.Case c) {
        return new StepDecay(i(c, "step_size"), d(c, "gamma"));
    }

    private static CosineAnnealing cosine(Golden.Case c) {
        return new CosineAnnealing(i(c, "t_max"), d(c, "eta_min"));
    }

    private static ReduceOnPlateau plateau(Golden.Case c, Optimizer opt) {
        ReduceOnPlateau.Mode mode = ReduceOnPlateau.Mode.valueOf(c.param("mode").toUpperCase());
        ReduceOnPlateau.ThresholdMode thresholdMode =
                ReduceOnPlateau.ThresholdMode.valueOf(c.param("threshold_mode").toUpperCase());
        if (c.name().equals("plateau_defaults")) return new ReduceOnPlateau(opt);   // the defaults must be torch's
        return new ReduceOnPlateau(opt, mode, d(c, "factor"), i(c, "patience"), d(c, "threshold"), thresholdMode,
                i(c, "cooldown"), d(c, "min_lr"));
    }

    /** Rates are float32 here and in the fixture; allow a few float roundings of the double computation. */
    private static void assertClose(float expected, float actual, String where) {
        assertEquals(expected, actual, 1e-6f * Math.abs(expected) + 1e-9f, where);
    }

    private static double d(Golden.Case c, String key) {
        return Double.parseDouble(c.param(key));
    }

    private static int i(Golden.Case c, String key) {
        return Integer.parseInt(c.param(key));
    }
}
