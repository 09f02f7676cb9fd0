package dev.nabla.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * The one thread pool behind Nabla's own loops. Work is split into contiguous ranges, one per thread; the caller runs
 * the first range itself, so a pool of {@code threads - 1} workers keeps all cores busy.
 *
 * <p>The thread count defaults to all cores, or the system property {@code nabla.threads}; {@link #setThreads(int)}
 * changes it at run time. The native GEMM reads the same count at start-up (see {@link Kernels}).
 */
public final class Parallel {

    /** A loop body over the half-open index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = initialThreads();
    /** Depth of forRange bodies running on this thread: a nested loop runs serially instead of waiting on the pool. */
    private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile ExecutorService workers = newWorkers(threads);

    private Parallel() {
    }

    private static int initialThreads() {
        String property = System.getProperty("nabla.threads");
        if (property != null && !property.isBlank()) {
            try {
                int n = Integer.parseInt(property.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the default: a bad property must not stop the library from loading
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static ExecutorService newWorkers(int n) {
        if (n <= 1) return null;
        return Executors.newFixedThreadPool(n - 1, runnable -> {
            Thread thread = new Thread(runnable, "nabla-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The number of threads Nabla's loops use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads for Nabla's loops (and, where the native library allows it, its kernels). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        if (n == threads) return;
        ExecutorService old = workers;
        workers = newWorkers(n);
        threads = n;
        if (old != null) old.shutdown();
    }

    private static void runNested(RangeBody body, int start, int end) {
        int[] nesting = NESTING.get();
        nesting[0]++;
        try {
            body.run(start, end);
        } finally {
            nesting[0]--;
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split across threads when each thread gets at least {@code grain} items;
     * smaller loops run on the calling thread, where a hand-off would cost more than it saves.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        ExecutorService pool = workers;
        int[] nesting = NESTING.get();
        if (t <= 1 || pool == null || nesting[0] > 0) {
            // already inside a parallel body (say a GEMM called per image): every core is busy, and waiting on the
            // pool from one of its own workers could deadlock
            if (n > 0) body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] pending = new Future<?>[t - 1];
        int chunk = (n + t - 1) / t;
        for (int i = 1; i < t; i++) {
            int start = i * chunk;
            int end = Math.min(n, start + chunk);
            pending[i - 1] = start < end ? pool.submit(() -> runNested(body, start, end)) : null;
        }
        runNested(body, 0, Math.min(n, chunk));
        for (Future<?> future : pending) {
            if (future == null) continue;
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) throw runtime;
                if (cause instanceof Error error) throw error;
                throw new IllegalStateException(cause);
            }
        }
    }
}
