package dev.nabla.serve;

import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * Groups concurrent requests to one model into one {@code predict} call and splits the outputs back. There is no
 * worker thread: a request queues itself, and whichever requesting thread gets the model's lock leads a batch. The
 * leader takes the first waiting request, adds those already queued, and waits up to {@code maxWait} for more only
 * while other requests to the model are still being read ({@link #arriving}), so a lone client is never delayed; a
 * batch holds at most {@code maxBatch} samples (a larger request runs alone). Once the batch is predicted and handed
 * out, the leader lets go of the lock and wakes the next waiting request, which leads the next batch.
 *
 * <p>A thread that must not wait (a Netty event loop) calls {@link #predictNow} with the requests it has gathered
 * instead: they are predicted at once on that thread, in batches of at most {@code maxBatch}, one batch at a time with
 * the others, which is why only models that {@link #quick measured quick} are predicted that way.
 *
 * <p>Why the requesting threads predict: with a worker, each lone request woke two threads (the worker, then the
 * requester again); measured on the {@code mlp} row of {@code bench/run serve} that cost about as much CPU as the
 * prediction itself (docs/serving.md). One batch runs at a time per model, as with the worker, so the model is never
 * called concurrently.
 */
final class Batcher implements AutoCloseable {

    /** One request's rows and, once predicted, its output or failure; {@code done} publishes them. */
    private static final class Job {
        final Tensor x;
        final Thread waiter; // null for predictNow's jobs: their thread predicts them itself
        Tensor output;
        Throwable failure;
        volatile boolean done;

        Job(Tensor x, Thread waiter) {
            this.x = x;
            this.waiter = waiter;
        }

        void finish(Tensor output, Throwable failure) {
            this.output = output;
            this.failure = failure;
            done = true;
            if (waiter != null) LockSupport.unpark(waiter);
        }
    }

    private final UnaryOperator<Tensor> predict;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger arriving = new AtomicInteger();
    private final ReentrantLock lead = new ReentrantLock();
    /** A request taken from the queue that did not fit its batch: the first of the next; written under {@link #lead}. */
    private volatile Job held;
    private final long quickNanos;
    /** The predict calls' time per sample ({@link #run} says how it moves), -1 before the first; written under {@link #lead}. */
    private volatile long nanosPerSample = -1;

    Batcher(String name, UnaryOperator<Tensor> predict, int maxBatch, long maxWaitMillis, IntConsumer batchSizes) {
        this(name, predict, maxBatch, maxWaitMillis, batchSizes, QUICK_NANOS);
    }

    /**
     * @param quickNanos the most time per sample of a model that is {@link #quick}; 0 for never quick
     */
    Batcher(String name, UnaryOperator<Tensor> predict, int maxBatch, long maxWaitMillis, IntConsumer batchSizes, long quickNanos) {
        this.quickNanos = quickNanos;
        this.predict = predict;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.batchSizes = batchSizes;
    }

    /**
     * A request to this model that is being read: while it is open a batch may wait (up to {@code maxWait}) for it
     * to join. {@link #predict} or {@link #close} ends it.
     */
    final class Ticket implements AutoCloseable {
        private boolean open = true;

        private Ticket() {
            arriving.incrementAndGet();
        }

        /** The model's outputs for {@code x}, computed in a batch with other requests. */
        Tensor predict(Tensor x) throws InterruptedException {
            Job job = new Job(x, Thread.currentThread());
            // no longer arriving before it is queued: else its own batch would wait for it to arrive
            close();
            queue.add(job);
            while (!job.done) {
                if (lead.tryLock()) {
                    try {
                        leadOne();
                    } finally {
                        lead.unlock();
                    }
                    // after unlocking: a request queued while the lock was held found it taken and parked
                    wakeNext();
                } else if (!job.done) {
                    LockSupport.park(Batcher.this);
                    if (Thread.interrupted() && !job.done) throw new InterruptedException();
                }
            }
            if (job.failure instanceof RuntimeException r) throw r;
            if (job.failure instanceof Error e) throw e;
            return job.output;
        }

        /** Ends the request's arrival without predicting (it was refused). */
        @Override
        public void close() {
            if (open) arriving.decrementAndGet();
            open = false;
        }
    }

    /**
     * Whether this model's samples are quick enough to predict on a thread that must not block, such as an event loop
     * that other connections' I/O waits for: once a predict call has been measured, at most {@code quickNanos} per
     * sample (by default {@value #QUICK_MICROS} µs, {@code -Dnabla.serve.quickMicros}; 0 keeps every prediction off
     * the event loops). Before the first measurement it is not.
     */
    boolean quick() {
        long t = nanosPerSample;
        return quickNanos > 0 && t >= 0 && t <= quickNanos;
    }

    /** The default bound of {@link #quick}, in µs per sample. */
    static final long QUICK_MICROS = 250;
    private static final long QUICK_NANOS = 1000 * Long.getLong("nabla.serve.quickMicros", QUICK_MICROS);

    /** What {@link #predictNow} hands back for each input. */
    @FunctionalInterface
    interface Outcome {
        void accept(int index, Tensor output, Throwable failure);
    }

    /**
     * Predicts {@code xs} on this thread now, without waiting for requests still arriving (the caller has gathered
     * what it will): in batches of at most {@code maxBatch} samples in order (a larger input alone), one batch at a
     * time with those of other threads; then hands each output (or failure) to {@code done}, after letting go of the
     * model.
     */
    void predictNow(java.util.List<Tensor> xs, Outcome done) {
        Job[] jobs = new Job[xs.size()];
        for (int i = 0; i < jobs.length; i++) jobs[i] = new Job(xs.get(i), null);
        lead.lock();
        try {
            for (int i = 0; i < jobs.length; ) {
                List<Job> batch = new ArrayList<>();
                int rows = 0;
                while (i < jobs.length && (batch.isEmpty() || rows + jobs[i].x.shape(0) <= maxBatch)) {
                    batch.add(jobs[i]);
                    rows += jobs[i++].x.shape(0);
                }
                run(batch, rows);
            }
        } finally {
            lead.unlock();
        }
        wakeNext();
        for (int i = 0; i < jobs.length; i++) done.accept(i, jobs[i].output, jobs[i].failure);
    }

    /** Marks a request to this model as arriving. */
    Ticket arrive() {
        return new Ticket();
    }

    /** Requests waiting for a batch (for tests). */
    int queued() {
        return queue.size() + (held != null ? 1 : 0);
    }

    private void wakeNext() {
        Job next = held;
        if (next == null) next = queue.peek();
        if (next != null) LockSupport.unpark(next.waiter);
    }

    /** Collects and predicts one batch, holding {@link #lead}; nothing when the queue is empty. */
    private void leadOne() {
        Job first = held != null ? held : queue.poll();
        held = null;
        if (first == null) return;
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int rows = first.x.shape(0);
        long deadline = System.nanoTime() + maxWaitNanos;
        boolean interrupted = false;
        while (rows < maxBatch) {
            Job next = queue.poll();
            if (next == null && arriving.get() > 0 && !interrupted) {
                long left = deadline - System.nanoTime();
                try {
                    if (left > 0) next = queue.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the batch collected so far still runs; the flag is restored after
                }
            }
            if (next == null) break;
            if (rows + next.x.shape(0) > maxBatch) {
                held = next;
                break;
            }
            batch.add(next);
            rows += next.x.shape(0);
        }
        run(batch, rows);
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run(List<Job> batch, int rows) {
        try {
            Tensor x = batch.size() == 1 ? batch.get(0).x : Tensor.concat(0, batch.stream().map(j -> j.x).toArray(Tensor[]::new));
            long start = System.nanoTime();
            Tensor out = predict.apply(x);
            long perSample = (System.nanoTime() - start) / Math.max(1, rows);
            long before = nanosPerSample;
            // down at once, up a quarter of the way: the first calls (class loading, JIT) and a pause (GC) are slow
            nanosPerSample = before < 0 || perSample < before ? perSample : (3 * before + perSample) / 4;
            batchSizes.accept(rows);
            float[] all = out.toArray();
            int[] shape = out.shape().clone();
            if (batch.size() == 1) {
                batch.get(0).finish(Tensor.wrap(all, shape), null);
                return;
            }
            int per = rows == 0 ? 0 : all.length / rows;
            int at = 0;
            for (Job job : batch) {
                int n = job.x.shape(0);
                shape[0] = n;
                float[] mine = new float[n * per];
                System.arraycopy(all, at * per, mine, 0, mine.length);
                job.finish(Tensor.wrap(mine, shape), null);
                at += n;
            }
        } catch (RuntimeException | Error e) {
            for (Job job : batch) {
                if (!job.done) job.finish(null, e);
            }
        }
    }

    /** Waits for the batch in progress, if any; requests still queued are led by their own threads. */
    @Override
    public void close() throws InterruptedException {
        if (lead.tryLock(30, TimeUnit.SECONDS)) lead.unlock();
    }
}
