package dev.nabla.ops;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large buffers a {@link Recurrence} hands back when its backward pass is done (or at once without one), for the next
 * call of the same shape: a training step then neither zeroes nor collects its tens of megabytes of gates and states
 * again. Buffers come back dirty; callers overwrite or clear what they read.
 */
final class RnnPool {

    /** Buffers kept at most: a few layers' worth of forward and reverse passes. */
    private static final int MAX_BUFFERS = 24;
    private static final ArrayDeque<float[]> FREE = new ArrayDeque<>();

    private RnnPool() {
    }

    /** A buffer of exactly {@code size} floats, with whatever it held. */
    static synchronized float[] take(int size) {
        for (Iterator<float[]> it = FREE.iterator(); it.hasNext(); ) {
            float[] a = it.next();
            if (a.length == size) {
                it.remove();
                return a;
            }
        }
        return new float[size];
    }

    static synchronized void give(float[]... buffers) {
        for (float[] a : buffers) {
            if (a == null || a.length < 1 << 14) continue;
            if (FREE.size() >= MAX_BUFFERS) FREE.removeLast();
            FREE.addFirst(a);
        }
    }
}
