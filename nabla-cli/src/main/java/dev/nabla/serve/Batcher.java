package dev.nabla.serve;

import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * Groups concurrent requests to one model into one {@code predict} call and splits the outputs back. One worker
 * thread per model takes the first waiting request, adds those already queued, and waits up to {@code maxWait} for
 * more only while other requests to the model are still being read ({@link #arriving}), so a lone client is never
 * delayed; a batch holds at most {@code maxBatch} samples (a larger request runs alone).
 */
final class Batcher implements AutoCloseable {

    private record Job(Tensor x, CompletableFuture<Tensor> result) {
    }

    private static final Job STOP = new Job(null, null);

    private final UnaryOperator<Tensor> predict;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger arriving = new AtomicInteger();
    private final Thread worker;
    private Job held;

    Batcher(String name, UnaryOperator<Tensor> predict, int maxBatch, long maxWaitMillis, IntConsumer batchSizes) {
        this.predict = predict;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::work, "nabla-batch-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * A request to this model that is being read: while it is open the worker may wait (up to {@code maxWait}) for
     * it to join the batch. {@link #predict} or {@link #close} ends it.
     */
    final class Ticket implements AutoCloseable {
        private boolean open = true;

        private Ticket() {
            arriving.incrementAndGet();
        }

        /** The model's outputs for {@code x}, computed in a batch with other requests. */
        Tensor predict(Tensor x) throws InterruptedException {
            CompletableFuture<Tensor> result = new CompletableFuture<>();
            // no longer arriving before it is queued: else the worker, taking it at once, would wait for it to arrive
            close();
            queue.add(new Job(x, result));
            return await(result);
        }

        /** Ends the request's arrival without predicting (it was refused). */
        @Override
        public void close() {
            if (open) arriving.decrementAndGet();
            open = false;
        }
    }

    /** Marks a request to this model as arriving. */
    Ticket arrive() {
        return new Ticket();
    }

    /** Requests waiting for the worker (for tests). */
    int queued() {
        return queue.size();
    }

    private static Tensor await(CompletableFuture<Tensor> result) throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void work() {
        try {
            while (true) {
                Job first = held != null ? held : queue.take();
                held = null;
                if (first == STOP) return;
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.x().shape(0);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (rows < maxBatch) {
                    Job next = queue.poll();
                    if (next == null && arriving.get() > 0) {
                        long left = deadline - System.nanoTime();
                        if (left > 0) next = queue.poll(left, TimeUnit.NANOSECONDS);
                    }
                    if (next == null) break;
                    if (next == STOP || rows + next.x().shape(0) > maxBatch) {
                        held = next;
                        break;
                    }
                    batch.add(next);
                    rows += next.x().shape(0);
                }
                run(batch, rows);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(List<Job> batch, int rows) {
        try {
            Tensor x = batch.size() == 1 ? batch.get(0).x()
                    : Tensor.concat(0, batch.stream().map(Job::x).toArray(Tensor[]::new));
            Tensor out = predict.apply(x);
            batchSizes.accept(rows);
            float[] all = out.toArray();
            int per = rows == 0 ? 0 : all.length / rows;
            int[] shape = out.shape().clone();
            int at = 0;
            for (Job job : batch) {
                int n = job.x().shape(0);
                shape[0] = n;
                job.result().complete(Tensor.wrap(Arrays.copyOfRange(all, at * per, (at + n) * per), shape.clone()));
                at += n;
            }
        } catch (RuntimeException | Error e) {
            for (Job job : batch) job.result().completeExceptionally(e);
        }
    }

    /** Finishes the requests already queued, then stops the worker. */
    @Override
    public void close() throws InterruptedException {
        queue.add(STOP);
        worker.join(TimeUnit.SECONDS.toMillis(30));
    }
}
