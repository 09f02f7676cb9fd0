package dev.nabla.bench;

import java.util.Arrays;

/**
 * Times short operations the same way on every workload (and as {@code torch_bench.py} does): warm up, pick a
 * repetition count that makes one timed run last about {@link #RUN_SECONDS}, then time several runs and take the
 * median.
 */
public final class Timing {

    /** How long one timed run should last. */
    public static final double RUN_SECONDS = 0.2;
    /** How long to warm up (JIT, caches, native buffers) before timing; at least one call is always made. */
    public static final double WARMUP_SECONDS = 0.3;
    /** Timed runs: at least this many... */
    public static final int MIN_RUNS = 3;
    /** ...and at most this many, stopping after {@link #MIN_RUNS} once {@link #BUDGET_SECONDS} have gone by. */
    public static final int MAX_RUNS = 7;
    public static final double BUDGET_SECONDS = 3.0;

    private static volatile double sink;

    private Timing() {
    }

    /** Seconds per call of each timed run, and the repetitions per run. */
    public record Result(double[] secondsPerCall, int reps) {

        /** The median seconds per call over the runs. */
        public double medianSeconds() {
            return median(secondsPerCall);
        }

        /** The median of {@code work / secondsPerCall} over the runs (e.g. FLOPs per second, samples per second). */
        public double medianRate(double workPerCall) {
            double[] rates = new double[secondsPerCall.length];
            for (int i = 0; i < rates.length; i++) rates[i] = workPerCall / secondsPerCall[i];
            return median(rates);
        }
    }

    /** An operation to time; what it returns is kept so the JIT cannot drop the work. */
    @FunctionalInterface
    public interface Op {
        float call();
    }

    public static Result measure(Op op) {
        // the last warm-up call is the best estimate of a warm call
        double lastCall = warmUp(op, WARMUP_SECONDS);
        int reps = (int) Math.max(1, Math.min(1_000_000, Math.ceil(RUN_SECONDS / Math.max(1e-9, lastCall))));

        double[] runs = new double[MAX_RUNS];
        int done = 0;
        long budgetStart = System.nanoTime();
        while (done < MAX_RUNS) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) sink += op.call();
            runs[done++] = (System.nanoTime() - start) * 1e-9 / reps;
            if (done >= MIN_RUNS && (System.nanoTime() - budgetStart) * 1e-9 > BUDGET_SECONDS) break;
        }
        return new Result(Arrays.copyOf(runs, done), reps);
    }

    /** Calls {@code op} for at least {@code seconds} (and at least once); returns the last call's seconds. */
    public static double warmUp(Op op, double seconds) {
        long warmStart = System.nanoTime();
        double lastCall;
        double warmElapsed;
        do {
            long t0 = System.nanoTime();
            sink += op.call();
            lastCall = (System.nanoTime() - t0) * 1e-9;
            warmElapsed = (System.nanoTime() - warmStart) * 1e-9;
        } while (warmElapsed < seconds);
        return lastCall;
    }

    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /** {@code value} rounded to {@code decimals} places, for readable JSON. */
    public static double round(double value, int decimals) {
        if (!Double.isFinite(value)) return value;
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
