package dev.nabla.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One epoch of a {@link DataLoader}: keeps {@code prefetch} batches in flight behind the one handed out and hands
 * them out in the order they were submitted, whichever finishes first. A batch that failed ends the epoch with its
 * error (an {@link UncheckedIOException} from a worker becomes the IOException it wraps).
 */
final class PrefetchWindow implements DataLoader.Batches {

    /** Submits the building of the next batch of an epoch, in order; null when there is none. */
    interface Source {
        CompletableFuture<Batch> submitNext();

        /** The epoch ends (finished or abandoned): releases what the source holds. */
        void close();
    }

    private final Source source;
    private final int prefetch;
    private final ArrayDeque<CompletableFuture<Batch>> pending = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;

    PrefetchWindow(Source source, int prefetch) {
        this.source = source;
        this.prefetch = prefetch;
    }

    @Override
    public Batch next() throws IOException {
        if (ended) return null;
        fill();
        CompletableFuture<Batch> head = pending.poll();
        if (head == null) {
            ended = true;
            return null;
        }
        fill();
        Batch b;
        try {
            b = head.join();
        } catch (CompletionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
        if (b == null) ended = true;
        return b;
    }

    private void fill() {
        while (!ended && pending.size() < prefetch) {
            CompletableFuture<Batch> f = source.submitNext();
            if (f == null) break;
            pending.add(f);
        }
    }

    @Override
    public void close() {
        ended = true;
        for (CompletableFuture<Batch> f : pending) f.cancel(false);
        pending.clear();
        if (!closed) source.close();
        closed = true;
    }
}
