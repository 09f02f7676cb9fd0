package dev.nabla.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks {@link Parallel#forRange}: exact coverage, real parallelism, and exceptions reaching the caller. */
class ParallelTest {

    private final int originalThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(originalThreads);
    }

    @Test
    void coversEveryIndexExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 4, 7}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 3, 5, 7, 16, 17, 100, 1001}) {
                for (int grain : new int[] {1, 2, 3, 10, 64, 5000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, grain, (start, end) -> {
                        assertTrue(0 <= start && start < end && end <= n, "bad range [" + start + ", " + end + ")");
                        for (int i = start; i < end; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i),
                                "index " + i + " of n=" + n + " grain=" + grain + " threads=" + threads);
                    }
                }
            }
        }
    }

    @Test
    void usesSeveralThreadsForLargeLoopsAndOneForSmall() {
        Parallel.setThreads(3);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        // each range waits for the others to start, so one idle worker cannot take two ranges in turn
        CountDownLatch started = new CountDownLatch(3);
        Parallel.forRange(300, 10, (start, end) -> {
            seen.add(Thread.currentThread());
            started.countDown();
            try {
                started.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(3, seen.size());
        assertTrue(seen.contains(Thread.currentThread()), "the caller runs a range itself");

        seen.clear();
        Parallel.forRange(15, 10, (start, end) -> seen.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), seen, "a loop below two grains stays on the caller");
    }

    @Test
    void workerExceptionPropagatesToTheCaller() {
        Parallel.setThreads(4);
        IllegalStateException thrown = new IllegalStateException("boom");
        // fail in the last range, which a worker (not the calling thread) runs
        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(400, 1, (start, end) -> {
                    if (end == 400) throw thrown;
                }));
        assertSame(thrown, caught);

        AssertionError error = new AssertionError("worker error");
        assertSame(error, assertThrows(AssertionError.class, () -> Parallel.forRange(400, 1, (start, end) -> {
            if (start > 0) throw error;
        })));

        // the pool still works afterwards
        AtomicIntegerArray hits = new AtomicIntegerArray(400);
        Parallel.forRange(400, 1, (start, end) -> {
            for (int i = start; i < end; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 400; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void callerExceptionPropagates() {
        Parallel.setThreads(2);
        assertThrows(ArithmeticException.class, () -> Parallel.forRange(100, 1, (start, end) -> {
            if (start == 0) throw new ArithmeticException("caller's range");
        }));
    }

    @Test
    void rejectsThreadCountBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertEquals(originalThreads, Parallel.threads());
    }
}
