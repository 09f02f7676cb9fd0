package dev.nabla.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs an I/O task for each index on all cores (image decoding is CPU-bound); the first failure stops the rest. */
final class Parallel {

    @FunctionalInterface
    interface Task {
        void run(int index) throws IOException;
    }

    private Parallel() {
    }

    static void forEach(int n, Task task) throws IOException {
        int threads = Math.min(n, Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            for (int i = 0; i < n; i++) task.run(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nabla-data-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n && !failed.get(); i = next.getAndIncrement()) {
                        try {
                            task.run(i);
                        } catch (IOException | RuntimeException | Error e) {
                            failed.set(true);
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause();
                }
            }
            if (first instanceof IOException io) throw io;
            if (first instanceof RuntimeException re) throw re;
            if (first instanceof Error err) throw err;
            if (first != null) throw new IOException(first);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading data");
        } finally {
            pool.shutdownNow();
        }
    }
}
