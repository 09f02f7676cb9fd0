package dev.nabla.distributed;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Collective} over TCP: the ranks form a ring (each sends to rank + 1 and receives from rank - 1) and
 * {@link #allReduce} is the bandwidth-optimal ring all-reduce, a reduce-scatter then an all-gather over
 * {@code worldSize} chunks of the array, so each rank sends {@code 2 (N - 1) / N} times the array's size whatever the
 * number of ranks. Each chunk is summed once, along the ring in a fixed order, and copied to the other ranks: all
 * ranks end with the same bits, run after run.
 *
 * <p>Every wait is bounded by the timeout: a peer that stops answering for that long, or closes its connection, ends
 * the operation with a {@link CollectiveException} naming it; the collective is then broken (every later call throws
 * the first failure again) and should be closed. Not thread-safe: one thread per rank calls it.
 */
public final class TcpRingCollective implements Collective {

    /** Messages of a broadcast carry at most this many floats, so a rank forwards a part while the next arrives. */
    private static final int BROADCAST_FLOATS = 1 << 18;

    private final int rank;
    private final int worldSize;
    private final RingLink link;
    private final float[] one = new float[1];
    private CollectiveException failure;
    private boolean closed;
    private long allReduces;
    private long allReduceNanos;
    private long firstAllReduceNanos;
    private long waitNanos;

    private TcpRingCollective(int rank, int worldSize, RingLink link) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.link = link;
    }

    /**
     * Joins the ring as {@code rank}: listens on {@code addresses.get(rank)}, connects to the next rank's address
     * (retrying until it listens) and accepts the previous rank, all within {@code timeout}, which then bounds every
     * wait of every operation. Every rank passes the same list.
     */
    public static TcpRingCollective connect(int rank, List<InetSocketAddress> addresses, Duration timeout) {
        check(rank, addresses, timeout);
        if (addresses.size() == 1) return new TcpRingCollective(0, 1, null);
        InetSocketAddress own = addresses.get(rank);
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open();
            server.bind(own, 4);
        } catch (IOException e) {
            throw new CollectiveException("rank " + rank + ": cannot listen on " + hostPort(own) + ": " + e.getMessage(), e);
        }
        try (server) {
            return connect(rank, server, addresses, timeout);
        } catch (IOException e) {
            throw new CollectiveException("rank " + rank + ": " + e.getMessage(), e);
        }
    }

    /**
     * Joins the ring as {@code rank} with {@code server} already listening (on the port published as
     * {@code addresses.get(rank)}, e.g. a free port chosen by binding port 0, then told to the others: no other
     * process can take it in between). The caller closes {@code server}; the ring's connections outlive it.
     */
    public static TcpRingCollective connect(int rank, ServerSocketChannel server, List<InetSocketAddress> addresses, Duration timeout) {
        check(rank, addresses, timeout);
        int n = addresses.size();
        if (n == 1) return new TcpRingCollective(0, 1, null);
        long timeoutNanos = timeout.toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        int right = (rank + 1) % n;
        int left = (rank - 1 + n) % n;
        SocketChannel toRight = null;
        SocketChannel fromLeft = null;
        try {
            toRight = connectTo(rank, right, addresses.get(right), deadline, timeout);
            fromLeft = accept(rank, left, server, deadline, timeout);
            RingLink link = new RingLink(rank, n, addresses.get(left), addresses.get(right), toRight, fromLeft, timeoutNanos);
            TcpRingCollective c = new TcpRingCollective(rank, n, link);
            // a wrong neighbour (another run, a different world size) fails here rather than in the first all-reduce
            c.one[0] = rank;
            link.exchange(RingLink.HELLO, n, c.one, 0, 1, 0, 1, false);
            if (c.one[0] != left) {
                link.close();
                throw new CollectiveException("rank " + rank + ": the process at " + hostPort(addresses.get(left))
                        + " says it is rank " + (int) c.one[0] + ", not rank " + left + ": do all ranks have the same list?");
            }
            return c;
        } catch (IOException e) {
            RingLink.closeQuietly(toRight);
            RingLink.closeQuietly(fromLeft);
            throw new CollectiveException("rank " + rank + ": joining the ring failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            RingLink.closeQuietly(toRight);
            RingLink.closeQuietly(fromLeft);
            throw e;
        }
    }

    private static void check(int rank, List<InetSocketAddress> addresses, Duration timeout) {
        int n = addresses.size();
        if (n < 1) throw new IllegalArgumentException("a ring needs at least one rank's address");
        if (rank < 0 || rank >= n) throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (n - 1));
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }

    private static SocketChannel connectTo(int rank, int right, InetSocketAddress address, long deadline, Duration timeout) {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                ch.socket().connect(address, (int) Math.min(left, 5_000));
                ch.socket().setTcpNoDelay(true);
                return ch;
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                // not listening yet: the other process is still starting
                RingLink.closeQuietly(ch);
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (IOException e) {
                RingLink.closeQuietly(ch);
                throw new CollectiveException("rank " + rank + ": cannot connect to rank " + right + " at " + hostPort(address)
                        + ": " + e.getMessage(), e);
            }
        }
        throw new CollectiveException("rank " + rank + ": rank " + right + " at " + hostPort(address) + " did not answer within "
                + seconds(timeout) + (last == null ? "" : " (" + last.getMessage() + ")") + ": is it running?");
    }

    private static SocketChannel accept(int rank, int left, ServerSocketChannel server, long deadline, Duration timeout) throws IOException {
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (true) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    ch.socket().setTcpNoDelay(true);
                    return ch;
                }
                long wait = (deadline - System.nanoTime()) / 1_000_000;
                if (wait <= 0) {
                    throw new CollectiveException("rank " + rank + ": rank " + left + " did not connect to "
                            + hostPort((InetSocketAddress) server.getLocalAddress()) + " within " + seconds(timeout) + ": is it running?");
                }
                selector.select(wait);
                selector.selectedKeys().clear();
            }
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public void allReduce(float[] data) {
        if (worldSize == 1) return;
        checkUsable();
        long start = System.nanoTime();
        int total = data.length;
        int n = worldSize;
        try {
            for (int s = 0; s < n - 1; s++) {
                int send = Math.floorMod(rank - s, n);
                int recv = Math.floorMod(rank - s - 1, n);
                link.exchange(RingLink.REDUCE_SCATTER, total, data, from(send, total), count(send, total),
                        from(recv, total), count(recv, total), true);
                // until the previous rank's first chunk arrives, this rank waits for the others to reach the call
                if (s == 0 && allReduces > 0) waitNanos += link.headerArrived() - start;
            }
            // rank r now holds the sum of chunk r + 1; pass the sums round the ring
            for (int s = 0; s < n - 1; s++) {
                int send = Math.floorMod(rank + 1 - s, n);
                int recv = Math.floorMod(rank - s, n);
                link.exchange(RingLink.ALL_GATHER, total, data, from(send, total), count(send, total),
                        from(recv, total), count(recv, total), false);
            }
        } catch (CollectiveException e) {
            failure = e;
            throw e;
        }
        long took = System.nanoTime() - start;
        if (allReduces++ == 0) firstAllReduceNanos = took;
        allReduceNanos += took;
    }

    @Override
    public void broadcast(float[] data, int root) {
        if (root < 0 || root >= worldSize) throw new IllegalArgumentException("broadcast: root " + root + " is not in 0.." + (worldSize - 1));
        if (worldSize == 1) return;
        checkUsable();
        int total = data.length;
        int parts = Math.max(1, (total + BROADCAST_FLOATS - 1) / BROADCAST_FLOATS);
        boolean forward = (rank + 1) % worldSize != root;
        try {
            if (rank == root) {
                for (int p = 0; p < parts; p++) {
                    link.exchange(RingLink.BROADCAST, total, data, part(p), partCount(p, total), 0, -1, false);
                }
                return;
            }
            // receive part p while passing part p - 1 on
            for (int p = 0; p <= parts; p++) {
                boolean send = forward && p > 0;
                boolean recv = p < parts;
                link.exchange(RingLink.BROADCAST, total, data, send ? part(p - 1) : 0, send ? partCount(p - 1, total) : -1,
                        recv ? part(p) : 0, recv ? partCount(p, total) : -1, false);
            }
        } catch (CollectiveException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public void barrier() {
        // after the reduce-scatter every rank has heard, through the ring, from every other one
        one[0] = 0;
        allReduce(one);
    }

    /**
     * All-reduces so far, the time they took (waiting for slower ranks included) and the first one's share of it
     * (which also waits for the slowest rank to start), and the bytes this rank sent in all operations.
     */
    public record Stats(long allReduces, long allReduceNanos, long firstAllReduceNanos, long waitNanos, long bytesSent) {

        /** The mean time of an all-reduce after the first, in milliseconds (0 before the second). */
        public double meanMillisAfterFirst() {
            return allReduces < 2 ? 0 : (allReduceNanos - firstAllReduceNanos) / 1e6 / (allReduces - 1);
        }

        /**
         * Of {@link #meanMillisAfterFirst}, the mean time until the previous rank's first chunk arrived: mostly waiting
         * for the slowest rank to finish its step (the rest moves and adds the data).
         */
        public double meanWaitMillisAfterFirst() {
            return allReduces < 2 ? 0 : waitNanos / 1e6 / (allReduces - 1);
        }
    }

    public Stats stats() {
        return new Stats(allReduces, allReduceNanos, firstAllReduceNanos, waitNanos, link == null ? 0 : link.bytesSent());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (link != null) link.close();
    }

    private void checkUsable() {
        if (closed) throw new IllegalStateException("rank " + rank + ": the collective is closed");
        if (failure != null) {
            throw new CollectiveException("rank " + rank + ": the collective failed earlier: " + failure.getMessage(),
                    (IOException) failure.getCause());
        }
    }

    private int from(int chunk, int total) {
        return (int) ((long) chunk * total / worldSize);
    }

    private int count(int chunk, int total) {
        return from(chunk + 1, total) - from(chunk, total);
    }

    private static int part(int p) {
        return p * BROADCAST_FLOATS;
    }

    private static int partCount(int p, int total) {
        return Math.min(BROADCAST_FLOATS, total - p * BROADCAST_FLOATS);
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
