package dev.nabla.cli;

import dev.nabla.train.Callback;
import dev.nabla.train.TrainingContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during training: a shutdown hook asks training to stop after the current batch and keeps
 * the JVM alive until the training thread has saved the model and said where ({@link #close}); the JVM then exits
 * with the signal's status (130 for SIGINT). A signal interrupts no Java thread, so the request is a flag that this
 * callback checks after every batch.
 */
final class Interruption implements Callback, AutoCloseable {

    /** Longer than any save takes; a training thread stuck for longer than this is not waited for. */
    private static final long WAIT_MINUTES = 10;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::awaitSave, "nabla-interrupt");
    private volatile boolean requested;
    private volatile boolean training;
    private volatile int epoch;
    private volatile int batch;
    private volatile int batches;

    private Interruption() {
    }

    /** Starts listening; {@link #close} stops. */
    static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    private void awaitSave() {
        requested = true;
        // before training (reading data) nothing is worth saving: the JVM stops at once
        if (!training) return;
        try {
            finished.await(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        training = true;
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        this.epoch = epoch;
        this.batch = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
        this.batch = batch;
        this.batches = batches;
        if (requested) context.stopAfterBatch();
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        // in data-parallel training another worker's signal stops this one after the same batch, through the
        // all-reduce, maybe before its own signal arrives: it ends as interrupted all the same (rank 0 saves)
        if (context.stoppedAfterBatch()) requested = true;
    }

    /** Thrown once the model of an interrupted run is saved: the command ends with {@link #EXIT_STATUS}. */
    static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    /** The status of a command stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
    static final int EXIT_STATUS = 130;

    /** Whether a signal asked training to stop. */
    boolean requested() {
        return requested;
    }

    /** Where training stopped, e.g. "after batch 3 of 20 of epoch 5". */
    String where() {
        return "after batch " + batch + " of " + batches + " of epoch " + epoch;
    }

    /** The model is saved (or training failed): a waiting JVM may exit now; no longer listening. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook runs (and returns at once, the latch being open)
        }
    }
}
