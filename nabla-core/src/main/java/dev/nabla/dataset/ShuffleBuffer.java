package dev.nabla.dataset;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Shuffles a stream through a buffer of {@code capacity} records (as {@code tf.data}'s {@code shuffle(buffer_size)}):
 * the buffer is filled, then each record read replaces a uniformly chosen one, which is given out; at the end the
 * rest drain in random order. A record moves at most about {@code capacity} places forward, so the buffer should
 * hold many batches; with a capacity of at least the stream's length the order is a uniform permutation.
 */
final class ShuffleBuffer implements StreamDataset.Records {

    private final StreamDataset.Records source;
    private final StreamDataset.Record[] buffer;
    private final SplittableRandom rng;
    private int filled;
    private boolean ended;

    ShuffleBuffer(StreamDataset.Records source, int capacity, SplittableRandom rng) {
        if (capacity < 1) throw new IllegalArgumentException("shuffle buffer: capacity must be at least 1, got " + capacity);
        this.source = source;
        this.buffer = new StreamDataset.Record[capacity];
        this.rng = rng;
    }

    @Override
    public StreamDataset.Record next() throws IOException {
        while (!ended && filled < buffer.length) {
            StreamDataset.Record r = source.next();
            if (r == null) {
                ended = true;
            } else {
                buffer[filled++] = r;
            }
        }
        if (filled == 0) return null;
        int pick = rng.nextInt(filled);
        StreamDataset.Record out = buffer[pick];
        StreamDataset.Record incoming = ended ? null : source.next();
        if (incoming != null) {
            buffer[pick] = incoming;
        } else {
            ended = true;
            buffer[pick] = buffer[--filled];
            buffer[filled] = null;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
