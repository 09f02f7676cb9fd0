package dev.nabla.bench.djl;

import java.util.Arrays;

/**
 * Times short operations as Nabla's {@code Timing} and {@code torch_bench.py}'s {@code measure} do: warm up for
 * 0.3 s, size one run to about 0.2 s of repetitions, then 3 to 7 timed runs within a 3 s budget.
 */
final class Timing {

    static final double RUN_SECONDS = 0.2;
    static final double WARMUP_SECONDS = 0.3;
    static final int MIN_RUNS = 3;
    static final int MAX_RUNS = 7;
    static final double BUDGET_SECONDS = 3.0;

    private Timing() {
    }

    /** Seconds per call of each timed run. */
    static double[] measure(Runnable op) {
        long warmStart = System.nanoTime();
        double last;
        do {
            long t0 = System.nanoTime();
            op.run();
            last = (System.nanoTime() - t0) * 1e-9;
        } while ((System.nanoTime() - warmStart) * 1e-9 < WARMUP_SECONDS);
        int reps = (int) Math.max(1, Math.min(1_000_000, Math.ceil(RUN_SECONDS / Math.max(1e-9, last))));
        double[] runs = new double[MAX_RUNS];
        int done = 0;
        long budgetStart = System.nanoTime();
        while (done < MAX_RUNS) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) op.run();
            runs[done++] = (System.nanoTime() - start) * 1e-9 / reps;
            if (done >= MIN_RUNS && (System.nanoTime() - budgetStart) * 1e-9 > BUDGET_SECONDS) break;
        }
        return Arrays.copyOf(runs, done);
    }

    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
