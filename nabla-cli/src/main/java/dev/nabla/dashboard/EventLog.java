package dev.nabla.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a dashboard has shown, in order: each entry is one Server-Sent Event's data, a JSON object
 * {@code {"run": ID, "event": {...}}}. Append-only, so a page that connects late reads it from the start (the whole
 * history) and then waits for more; each connection keeps its own position, so a slow browser only falls behind
 * itself.
 *
 * <p>The training thread appends: it takes the lock for an {@code ArrayList.add} and a signal, and readers hold it
 * only to copy a slice, so it never waits on a browser or a socket. Growth is bounded by the recorder, which sends
 * batch points at a bounded rate ({@link dev.nabla.train.RunRecorder}).
 */
final class EventLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final List<String> entries = new ArrayList<>();
    private boolean closed;

    /** Adds one entry and wakes the readers. */
    void append(String entry) {
        lock.lock();
        try {
            entries.add(entry);
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entries from index {@code from} on, waiting up to {@code timeoutMillis} while there are none; empty when
     * the time ran out or the log is closed with nothing new.
     */
    List<String> await(int from, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (entries.size() <= from && !closed && nanos > 0) nanos = grown.awaitNanos(nanos);
            return from < entries.size() ? List.copyOf(entries.subList(from, entries.size())) : List.of();
        } finally {
            lock.unlock();
        }
    }

    /** How many entries there are. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** No more entries: readers finish what is there and stop waiting. */
    void close() {
        lock.lock();
        try {
            closed = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
