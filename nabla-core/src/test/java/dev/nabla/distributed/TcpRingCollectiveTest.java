package dev.nabla.distributed;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpRingCollectiveTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void allReduceSumsSmallIntegersExactly() throws Exception {
        // rank r holds [r, 10 r, 100 r, 1]: the sums over 3 ranks are 3, 30, 300 and 3, exact in float
        List<float[]> out = Ring.run(3, TIMEOUT, c -> {
            float r = c.rank();
            float[] data = {r, 10 * r, 100 * r, 1};
            c.allReduce(data);
            return data;
        });
        for (float[] d : out) assertArrayEquals(new float[]{3, 30, 300, 3}, d);
    }

    @Test
    void allReduceGivesTheSameBitsOnEveryRankCloseToTheSumInDouble() throws Exception {
        int n = 3;
        int length = 10_007;   // not a multiple of the ranks: chunks of unequal length
        List<float[]> out = Ring.run(n, TIMEOUT, c -> {
            float[] data = values(c.rank(), length);
            c.allReduce(data);
            c.allReduce(data);   // a second call on the same buffers
            return data;
        });
        for (int r = 1; r < n; r++) {
            for (int i = 0; i < length; i++) {
                assertEquals(Float.floatToRawIntBits(out.get(0)[i]), Float.floatToRawIntBits(out.get(r)[i]), "rank " + r + ", element " + i);
            }
        }
        List<float[]> inputs = new java.util.ArrayList<>();
        for (int r = 0; r < n; r++) inputs.add(values(r, length));
        for (int i = 0; i < length; i++) {
            double sum = 0;
            double size = 0;
            for (float[] in : inputs) {
                sum += in[i];
                size += Math.abs(in[i]);
            }
            // twice: the sum of sums is n times the sum, within float rounding of the terms' size
            assertEquals(n * sum, out.get(0)[i], 1e-6 * n * size, "element " + i);
        }
        // run again: the same bits (a fixed order of summation, not the order packets arrive in)
        List<float[]> again = Ring.run(n, TIMEOUT, c -> {
            float[] data = values(c.rank(), length);
            c.allReduce(data);
            c.allReduce(data);
            return data;
        });
        assertArrayEquals(out.get(0), again.get(0));
    }

    @Test
    void broadcastCopiesTheRootsValuesAcrossSeveralMessages() throws Exception {
        int length = 300_000;   // more than one broadcast message
        List<float[]> out = Ring.run(3, TIMEOUT, c -> {
            float[] data = values(c.rank(), length);
            c.broadcast(data, 1);
            return data;
        });
        for (float[] d : out) assertArrayEquals(values(1, length), d);
    }

    @Test
    void barrierLetsNoRankThroughBeforeAllArrive() throws Exception {
        AtomicInteger arrived = new AtomicInteger();
        List<Integer> seen = Ring.run(3, TIMEOUT, c -> {
            try {
                Thread.sleep(100L * c.rank());   // rank 2 arrives last
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            arrived.incrementAndGet();
            c.barrier();
            return arrived.get();
        });
        assertEquals(List.of(3, 3, 3), seen);
    }

    @Test
    void aPeerThatClosesEndsTheOperationAtOnceNamingIt() throws Exception {
        List<InetSocketAddress> addresses = Rendezvous.localFreePorts(2);
        CompletableFuture<TcpRingCollective> other = CompletableFuture.supplyAsync(
                () -> TcpRingCollective.connect(1, addresses, TIMEOUT));
        try (TcpRingCollective c = TcpRingCollective.connect(0, addresses, TIMEOUT)) {
            other.get(30, TimeUnit.SECONDS).close();   // rank 1 dies
            long start = System.nanoTime();
            CollectiveException e = assertThrows(CollectiveException.class, () -> c.allReduce(new float[1000]));
            assertTrue(System.nanoTime() - start < 5e9, "at once, not after the timeout");
            String peer = "rank 1 (" + addresses.get(1).getHostString() + ":" + addresses.get(1).getPort() + ")";
            assertTrue(e.getMessage().contains(peer) && e.getMessage().contains("closed the connection"), e.getMessage());
            // broken from now on, saying why
            CollectiveException again = assertThrows(CollectiveException.class, () -> c.allReduce(new float[1000]));
            assertTrue(again.getMessage().contains("failed earlier") && again.getMessage().contains(peer), again.getMessage());
        }
    }

    @Test
    void aPeerThatStopsAnsweringGivesATimeoutErrorNotAHang() throws Exception {
        Duration timeout = Duration.ofMillis(800);
        List<InetSocketAddress> addresses = Rendezvous.localFreePorts(2);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> silent = CompletableFuture.runAsync(() -> {
            // rank 1 joins, then never calls allReduce (a hung process), until the test ends
            try (TcpRingCollective c = TcpRingCollective.connect(1, addresses, timeout)) {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (TcpRingCollective c = TcpRingCollective.connect(0, addresses, timeout)) {
            long start = System.nanoTime();
            CollectiveException e = assertThrows(CollectiveException.class, () -> c.allReduce(new float[10]));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.7 && seconds < 5, "after the timeout of 0.8 s: " + seconds);
            assertTrue(e.getMessage().startsWith("rank 0 got nothing from rank 1 (127.0.0.1:" + addresses.get(1).getPort() + ") for 0.8 s"),
                    e.getMessage());
        } finally {
            done.countDown();
            silent.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRankThatNeverComesGivesAnErrorWithinTheTimeout() {
        List<InetSocketAddress> addresses = Rendezvous.localFreePorts(2);
        long start = System.nanoTime();
        CollectiveException e = assertThrows(CollectiveException.class,
                () -> TcpRingCollective.connect(0, addresses, Duration.ofMillis(500)));
        assertTrue((System.nanoTime() - start) / 1e9 < 5);
        assertTrue(e.getMessage().contains("rank 1 at 127.0.0.1:" + addresses.get(1).getPort() + " did not answer within 0.5 s"), e.getMessage());
    }

    @Test
    void ranksWithArraysOfDifferentLengthsFailNamingBoth() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> Ring.run(2, TIMEOUT, c -> {
            c.allReduce(new float[c.rank() == 0 ? 100 : 120]);
            return null;
        }));
        CollectiveException cause = assertInstanceOf(CollectiveException.class, e.getCause());
        assertTrue(cause.getMessage().matches("rank \\d expected an all-reduce of (100|120) floats but rank \\d \\(.*\\) sent an "
                + "all-reduce of (100|120) floats: every rank must .*"), cause.getMessage());
    }

    @Test
    void aWorldOfOneLeavesTheDataAsItIs() {
        float[] data = {1.5f, -2f};
        for (Collective c : List.of(Collective.single(),
                TcpRingCollective.connect(0, Rendezvous.localFreePorts(1), TIMEOUT))) {
            c.allReduce(data);
            c.broadcast(data, 0);
            c.barrier();
            assertArrayEquals(new float[]{1.5f, -2f}, data);
            assertEquals(1, c.worldSize());
            c.close();
        }
    }

    @Test
    void rendezvousListsParseAndFormat() {
        List<InetSocketAddress> a = Rendezvous.parse("127.0.0.1:7000, [::1]:7001");
        assertEquals(7000, a.get(0).getPort());
        assertEquals("127.0.0.1:7000,[0:0:0:0:0:0:0:1]:7001", Rendezvous.format(a).replace("[::1]", "[0:0:0:0:0:0:0:1]"));
        for (String bad : List.of("", "host", "host:", "host:x", "host:70000")) {
            assertThrows(IllegalArgumentException.class, () -> Rendezvous.parse(bad), bad);
        }
    }

    private static float[] values(int rank, int length) {
        SplittableRandom rng = new SplittableRandom(17 + rank);
        float[] out = new float[length];
        for (int i = 0; i < length; i++) out[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4)));
        return out;
    }
}
