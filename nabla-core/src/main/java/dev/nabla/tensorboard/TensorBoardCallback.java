package dev.nabla.tensorboard;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.Callback;
import dev.nabla.train.TrainingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes TensorBoard event files while a model trains, in the layout of Keras' {@code TensorBoard} callback:
 * {@code DIR/train} and {@code DIR/validation}, one new event file in each per {@code fit}, the same tags in both
 * so that TensorBoard draws training and validation in one chart:
 * <ul>
 *   <li>{@code epoch_loss} and {@code epoch_METRIC} (e.g. {@code epoch_accuracy}) per epoch, the training values in
 *       {@code train}, the validation values ({@code val_loss}, {@code val_METRIC}) in {@code validation};</li>
 *   <li>{@code epoch_learning_rate} per epoch in {@code train}, the rate that epoch trained with;</li>
 *   <li>{@code batch_loss} every {@link #updateEvery N} optimizer steps in {@code train}: the mean loss of the batches
 *       since the last point (as PyTorch's tutorials log a running loss), at the step count;</li>
 *   <li>with {@link #histograms}, a histogram of each trainable weight per epoch in {@code train}, under its path
 *       ({@code 0.weight}).</li>
 * </ul>
 * Epoch events have Keras' step, the epoch counted from 0 over the model's life (so a continued model goes on where
 * it stopped); batch events the optimizer's step count. View with {@code tensorboard --logdir DIR}; give each run its
 * own {@code DIR} (e.g. {@code runs/2024-05-01-mlp}) and point TensorBoard at the parent to compare runs.
 *
 * <p>Every epoch's events are flushed to the files when it ends, and batch events about a second after they are
 * written, so a TensorBoard watching the folder sees training as it goes and a run that is killed leaves complete
 * records behind. On a batch without a point the callback only adds the loss to a sum; writing is a few hundred
 * bytes into a buffer. A failure to write after training began does not stop training: the callback stops
 * writing, closes its files and keeps the error for {@link #failure()}; a failure to create the files in
 * {@link #onTrainBegin} is thrown (an {@link UncheckedIOException}), before any step.
 */
public final class TensorBoardCallback implements Callback, AutoCloseable {

    /** Optimizer steps between {@code batch_loss} points by default (PyTorch Lightning's {@code log_every_n_steps}). */
    public static final int DEFAULT_UPDATE_EVERY = 50;

    private static final long FLUSH_NANOS = 1_000_000_000L;

    private final Path dir;
    private int updateEvery = DEFAULT_UPDATE_EVERY;
    private boolean histograms;
    private EventFile train;
    private EventFile validation;
    private Path trainPath;
    private Path validationPath;
    private IOException failure;
    private double windowSum;
    private int windowBatches;
    private long lastFlush;
    private boolean unflushed;

    /** Event files under {@code dir} ({@code dir/train}, {@code dir/validation}), created when training begins. */
    public TensorBoardCallback(Path dir) {
        this.dir = dir;
    }

    /** A {@code batch_loss} point every {@code steps} optimizer steps; 0 for epoch events only (Keras' default). */
    public TensorBoardCallback updateEvery(int steps) {
        if (steps < 0) throw new IllegalArgumentException("updateEvery: must be 0 (per epoch only) or more steps, got " + steps);
        this.updateEvery = steps;
        return this;
    }

    /** Whether to write a histogram of each trainable weight per epoch (Keras' {@code histogram_freq=1}). */
    public TensorBoardCallback histograms(boolean on) {
        this.histograms = on;
        return this;
    }

    /** The folder given. */
    public Path dir() {
        return dir;
    }

    /** The training event file of the last fit, or null before one began. */
    public Path trainFile() {
        return trainPath;
    }

    /** The validation event file of the last fit, or null where it had no validation data. */
    public Path validationFile() {
        return validationPath;
    }

    /** The error that stopped the writing, or null while every event was written. */
    public IOException failure() {
        return failure;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        close();
        failure = null;
        windowSum = 0;
        windowBatches = 0;
        try {
            train = EventFile.create(dir.resolve("train"));
            trainPath = train.path();
            validationPath = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TensorBoard events in " + dir.resolve("train") + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        lastFlush = System.nanoTime();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
        if (updateEvery == 0 || train == null) return;
        windowSum += loss;
        windowBatches++;
        long step = context.optimizer().steps();
        if (step % updateEvery != 0) return;
        double mean = windowSum / windowBatches;
        windowSum = 0;
        windowBatches = 0;
        try {
            train.scalar("batch_loss", step, mean);
            unflushed = true;
            long now = System.nanoTime();
            if (now - lastFlush >= FLUSH_NANOS) flushAll(now);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (train == null) return;
        long step = epoch - 1;
        try {
            for (var e : logs.entrySet()) {
                String key = e.getKey();
                double value = e.getValue();
                if (key.startsWith("val_")) {
                    if (validation == null) {
                        validation = EventFile.create(dir.resolve("validation"));
                        validationPath = validation.path();
                    }
                    validation.scalar("epoch_" + key.substring(4), step, value);
                } else {
                    train.scalar(key.equals("lr") ? "epoch_learning_rate" : "epoch_" + key, step, value);
                }
            }
            if (histograms) {
                for (Map.Entry<String, Tensor> p : context.model().network().namedParameters().entrySet()) {
                    train.histogram(p.getKey(), step, Histogram.of(p.getValue().toArray(), Histogram.DEFAULT_BUCKETS));
                }
            }
            flushAll(System.nanoTime());
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        try {
            if (train != null && unflushed) flushAll(System.nanoTime());
        } catch (IOException e) {
            fail(e);
        }
        close();
    }

    /** Closes the files (also after a {@code fit} that threw); the callback can be used by another fit after. */
    @Override
    public void close() {
        for (EventFile f : new EventFile[] {train, validation}) {
            if (f == null) continue;
            try {
                f.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
        train = null;
        validation = null;
    }

    private void flushAll(long now) throws IOException {
        train.flush();
        if (validation != null) validation.flush();
        lastFlush = now;
        unflushed = false;
    }

    private void fail(IOException e) {
        failure = e;
        close();
    }
}
