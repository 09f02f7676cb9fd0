package dev.nabla.cli;

import dev.nabla.kernel.Parallel;

/** {@code --threads N}: sizes Nabla's own thread pool (the launcher also sets OMP_NUM_THREADS for the native GEMM). */
final class Threads {

    private Threads() {
    }

    /**
     * The most threads {@code --threads} takes: far more than a CPU can use (each thread needs its own stack, and
     * 100,000 OpenMP threads crashed the native pool), while still allowing more threads than cores.
     */
    static int maximum() {
        return Math.max(64, 8 * Runtime.getRuntime().availableProcessors());
    }

    static void apply(Integer threads) {
        if (threads == null) return;
        if (threads < 1) throw new UsageException("--threads: must be at least 1, got " + threads);
        if (threads > maximum()) {
            throw new UsageException("--threads: at most " + maximum() + " on this machine (" + Runtime.getRuntime().availableProcessors()
                    + " cores), got " + threads);
        }
        Parallel.setThreads(threads);
    }
}
