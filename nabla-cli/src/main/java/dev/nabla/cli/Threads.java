package dev.nabla.cli;

import dev.nabla.kernel.Parallel;

/** {@code --threads N}: sizes Nabla's own thread pool (the launcher also sets OMP_NUM_THREADS for the native GEMM). */
final class Threads {

    private Threads() {
    }

    static void apply(Integer threads) {
        if (threads == null) return;
        if (threads < 1) throw new UsageException("--threads: must be at least 1, got " + threads);
        Parallel.setThreads(threads);
    }
}
