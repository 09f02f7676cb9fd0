package dev.nabla.serve;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests that wait while a prediction runs are predicted together, bounded by the batch size, and split back. */
class BatcherTest {

    @Test
    void waitingRequestsFormOneBatchAndGetTheirOwnRows() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        // y = 2x + row count of the batch is not used: each output row depends only on its input row
        Batcher b = new Batcher("m", x -> {
            firstRunning.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            float[] v = x.toArray();
            float[] out = new float[v.length * 2];
            for (int i = 0; i < v.length; i++) {
                out[2 * i] = 2 * v[i];
                out[2 * i + 1] = -v[i];
            }
            return Tensor.wrap(out, x.shape(0), 2);
        }, 5, 1000, sizes::add);
        // requests run on virtual threads, as in the server: a thread that leads a batch blocks in predict
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletableFuture<Tensor> first = CompletableFuture.supplyAsync(() -> predict(b, 1, 100), pool);
            assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<Tensor>> rest = new ArrayList<>();
            // 2 + 2 + 1 rows fit a batch of 5; the fourth request (2 rows) waits for the next
            int[] rows = {2, 2, 1, 2};
            for (int i = 0; i < rows.length; i++) {
                int n = rows[i];
                int base = 10 * (i + 1);
                rest.add(CompletableFuture.supplyAsync(() -> predict(b, n, base), pool));
                while (b.queued() < i + 1) Thread.onSpinWait();
            }
            release.countDown();
            assertArrayEquals(new float[]{200, -100}, first.get(10, TimeUnit.SECONDS).toArray());
            for (int i = 0; i < rows.length; i++) {
                Tensor out = rest.get(i).get(10, TimeUnit.SECONDS);
                assertArrayEquals(new int[]{rows[i], 2}, out.shape());
                for (int r = 0; r < rows[i]; r++) {
                    assertEquals(2f * (10 * (i + 1) + r), out.toArray()[2 * r]);
                    assertEquals(-(10f * (i + 1) + r), out.toArray()[2 * r + 1]);
                }
            }
            assertEquals(List.of(1, 5, 2), sizes);
        } finally {
            pool.shutdownNow();
            b.close();
        }
    }

    private static Tensor predict(Batcher b, int rows, int base) {
        float[] x = new float[rows];
        for (int i = 0; i < rows; i++) x[i] = base + i;
        try (Batcher.Ticket t = b.arrive()) {
            return t.predict(Tensor.wrap(x, rows, 1));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void predictNowSplitsAtTheBatchSizeInOrderAndHandsBackEachRows() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        Batcher b = new Batcher("m", x -> x.mul(3f), 4, 1000, sizes::add);
        // 1 + 2 rows, then 3 (would make 6), then 5 alone (more than a batch), then 1
        int[] rows = {1, 2, 3, 5, 1};
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            float[] v = new float[rows[i]];
            for (int r = 0; r < v.length; r++) v[r] = 10 * i + r;
            xs.add(Tensor.wrap(v, rows[i], 1));
        }
        Tensor[] outs = new Tensor[rows.length];
        Thread me = Thread.currentThread();
        b.predictNow(xs, (i, out, failure) -> {
            assertEquals(null, failure);
            assertEquals(me, Thread.currentThread(), "predicted on the calling thread");
            outs[i] = out;
        });
        assertEquals(List.of(3, 3, 5, 1), sizes);
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(new int[]{rows[i], 1}, outs[i].shape());
            for (int r = 0; r < rows[i]; r++) assertEquals(3f * (10 * i + r), outs[i].toArray()[r]);
        }
        b.close();
    }

    @Test
    void aFailedBatchFailsEachOfItsRequests() throws Exception {
        Batcher b = new Batcher("m", x -> {
            throw new IllegalStateException("boom");
        }, 4, 1000, n -> { });
        List<Throwable> failures = new ArrayList<>();
        b.predictNow(List.of(Tensor.wrap(new float[]{1}, 1, 1), Tensor.wrap(new float[]{2}, 1, 1)), (i, out, failure) -> {
            assertEquals(null, out);
            failures.add(failure);
        });
        assertEquals(2, failures.size());
        assertEquals("boom", failures.get(0).getMessage());
        b.close();
    }

    @Test
    void aModelIsQuickOnlyOnceMeasuredUnderTheBound() throws Exception {
        long[] sleepMillis = {0};
        java.util.function.UnaryOperator<Tensor> predict = x -> {
            try {
                Thread.sleep(sleepMillis[0]);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return x;
        };
        Batcher b = new Batcher("m", predict, 4, 0, n -> { }, 1_000_000); // at most 1 ms a sample
        assertEquals(false, b.quick(), "not measured yet");
        for (int i = 0; i < 3; i++) predict(b, 1, 0);
        assertTrue(b.quick(), "an identity is quick");
        sleepMillis[0] = 20;
        for (int i = 0; i < 3; i++) predict(b, 1, 0);
        assertEquals(false, b.quick(), "20 ms a sample is not");
        Batcher never = new Batcher("m", predict, 4, 0, n -> { }, 0);
        sleepMillis[0] = 0;
        predict(never, 1, 0);
        assertEquals(false, never.quick(), "a bound of 0 keeps every prediction off the event loops");
        b.close();
        never.close();
    }
}
