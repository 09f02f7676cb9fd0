package dev.nabla.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * A rank's two connections in the ring: one to send to the next rank, one to receive from the previous. One
 * {@link #exchange} sends a run of floats while receiving another, on non-blocking channels driven by one selector
 * (every rank sends before it receives, so blocking writes of large chunks would deadlock the ring). Messages are
 * little-endian floats after a header (magic, operation, length of the whole array, floats in this message) that the
 * receiver checks, so ranks calling different operations or arrays of different lengths fail at once, naming both.
 * The buffers are direct and kept between calls: a training step's exchanges allocate nothing once they have grown.
 */
final class RingLink implements AutoCloseable {

    static final int HELLO = 0;
    static final int REDUCE_SCATTER = 1;
    static final int ALL_GATHER = 2;
    static final int BROADCAST = 3;
    private static final String[] OPERATIONS = {"connect", "all-reduce", "all-reduce", "broadcast"};

    private static final int MAGIC = 0x4E41424C;   // "NABL"
    private static final int HEADER = 16;

    private final int rank;
    private final int left;
    private final int right;
    private final InetSocketAddress leftAddress;
    private final InetSocketAddress rightAddress;
    private final SocketChannel toRight;
    private final SocketChannel fromLeft;
    private final Selector selector;
    private final SelectionKey writeKey;
    private final SelectionKey readKey;
    private final long timeoutNanos;
    private ByteBuffer sendBytes;
    private FloatBuffer sendFloats;
    private ByteBuffer recvBytes;
    private FloatBuffer recvFloats;
    private long bytesSent;
    private long headerArrived;

    RingLink(int rank, int worldSize, InetSocketAddress leftAddress, InetSocketAddress rightAddress,
             SocketChannel toRight, SocketChannel fromLeft, long timeoutNanos) throws IOException {
        this.rank = rank;
        this.left = (rank - 1 + worldSize) % worldSize;
        this.right = (rank + 1) % worldSize;
        this.leftAddress = leftAddress;
        this.rightAddress = rightAddress;
        this.toRight = toRight;
        this.fromLeft = fromLeft;
        this.timeoutNanos = timeoutNanos;
        toRight.configureBlocking(false);
        fromLeft.configureBlocking(false);
        selector = Selector.open();
        writeKey = toRight.register(selector, 0);
        readKey = fromLeft.register(selector, 0);
    }

    /**
     * Sends {@code sendCount} floats of {@code data} from {@code sendFrom} to the next rank (none when negative) while
     * receiving {@code recvCount} from the previous one (none when negative), which are then added to (or, without
     * {@code add}, copied into) {@code data} from {@code recvInto}. {@code total} is the whole array's length, checked
     * against the sender's.
     */
    void exchange(int operation, int total, float[] data, int sendFrom, int sendCount, int recvInto, int recvCount, boolean add) {
        boolean sending = sendCount >= 0;
        boolean receiving = recvCount >= 0;
        if (sending) {
            ensureSend(sendCount);
            sendBytes.clear();
            sendBytes.putInt(0, MAGIC).putInt(4, operation).putInt(8, total).putInt(12, sendCount);
            sendFloats.clear();
            sendFloats.put(data, sendFrom, sendCount);
            sendBytes.limit(HEADER + 4 * sendCount);
        }
        if (receiving) {
            ensureReceive(recvCount);
            recvBytes.clear();
            recvBytes.limit(HEADER + 4 * recvCount);
        }
        boolean headerChecked = false;
        long lastProgress = System.nanoTime();
        while (sending && sendBytes.hasRemaining() || receiving && recvBytes.hasRemaining()) {
            boolean progress = false;
            if (sending && sendBytes.hasRemaining()) {
                int n;
                try {
                    n = toRight.write(sendBytes);
                } catch (IOException e) {
                    throw new CollectiveException(peer(right, rightAddress) + " closed the connection while " + me()
                            + " was sending (" + e.getMessage() + "): did it fail or stop?", e);
                }
                bytesSent += n;
                progress = n > 0;
            }
            if (receiving && recvBytes.hasRemaining()) {
                int n;
                try {
                    n = fromLeft.read(recvBytes);
                } catch (IOException e) {
                    throw new CollectiveException(peer(left, leftAddress) + " closed the connection while " + me()
                            + " was receiving (" + e.getMessage() + "): did it fail or stop?", e);
                }
                if (n < 0) {
                    throw new CollectiveException(peer(left, leftAddress) + " closed the connection while " + me()
                            + " was waiting for its " + name(operation) + ": did it fail or stop?");
                }
                progress |= n > 0;
                if (!headerChecked && recvBytes.position() >= HEADER) {
                    checkHeader(operation, total, recvCount);
                    headerChecked = true;
                    headerArrived = System.nanoTime();
                }
            }
            long now = System.nanoTime();
            if (progress) {
                lastProgress = now;
                continue;
            }
            long waited = now - lastProgress;
            if (waited >= timeoutNanos) throw timedOut(receiving && recvBytes.hasRemaining(), operation);
            writeKey.interestOps(sending && sendBytes.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            readKey.interestOps(receiving && recvBytes.hasRemaining() ? SelectionKey.OP_READ : 0);
            try {
                selector.select(Math.max(1, (timeoutNanos - waited) / 1_000_000));
            } catch (IOException e) {
                throw new CollectiveException(me() + ": waiting for the network failed: " + e.getMessage(), e);
            }
            selector.selectedKeys().clear();
        }
        if (receiving) {
            if (add) {
                for (int i = 0; i < recvCount; i++) data[recvInto + i] += recvFloats.get(i);
            } else {
                recvFloats.clear();
                recvFloats.get(data, recvInto, recvCount);
            }
        }
    }

    private void checkHeader(int operation, int total, int count) {
        int magic = recvBytes.getInt(0);
        int op = recvBytes.getInt(4);
        int theirTotal = recvBytes.getInt(8);
        int theirCount = recvBytes.getInt(12);
        if (magic != MAGIC) {
            throw new CollectiveException(me() + ": " + leftAddress + " (rank " + left + ") does not speak Nabla's ring protocol");
        }
        if (op != operation || theirTotal != total || theirCount != count) {
            throw new CollectiveException(me() + " expected " + describe(operation, total) + " but " + peer(left, leftAddress)
                    + " sent " + describe(op, theirTotal) + ": every rank must run the same operations on arrays of the"
                    + " same length (the same model and settings)");
        }
    }

    private CollectiveException timedOut(boolean receiving, int operation) {
        String seconds = String.format(Locale.ROOT, "%.1f s", timeoutNanos / 1e9);
        return receiving
                ? new CollectiveException(me() + " got nothing from " + peer(left, leftAddress) + " for " + seconds
                        + " while waiting for its " + name(operation) + " (the timeout): is it still running?")
                : new CollectiveException(peer(right, rightAddress) + " took no data from " + me() + " for " + seconds
                        + " during " + article(name(operation)) + " (the timeout): is it still running?");
    }

    private static String describe(int operation, int total) {
        return operation == HELLO ? "a world of " + total + " ranks" : article(name(operation)) + " of " + total + " floats";
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String name(int operation) {
        return operation >= 0 && operation < OPERATIONS.length ? OPERATIONS[operation] : "unknown operation " + operation;
    }

    private String me() {
        return "rank " + rank;
    }

    private static String peer(int rank, InetSocketAddress address) {
        return "rank " + rank + " (" + address.getHostString() + ":" + address.getPort() + ")";
    }

    private void ensureSend(int floats) {
        if (sendFloats != null && sendFloats.capacity() >= floats) return;
        sendBytes = ByteBuffer.allocateDirect(HEADER + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        sendFloats = sendBytes.position(HEADER).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        sendBytes.clear();
    }

    private void ensureReceive(int floats) {
        if (recvFloats != null && recvFloats.capacity() >= floats) return;
        recvBytes = ByteBuffer.allocateDirect(HEADER + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        recvFloats = recvBytes.position(HEADER).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        recvBytes.clear();
    }

    /** When the last exchange's message from the previous rank began to arrive ({@link System#nanoTime}). */
    long headerArrived() {
        return headerArrived;
    }

    long bytesSent() {
        return bytesSent;
    }

    @Override
    public void close() {
        closeQuietly(selector);
        closeQuietly(toRight);
        closeQuietly(fromLeft);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure or at the end: nothing left to save
        }
    }
}
