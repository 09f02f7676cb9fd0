package dev.nabla.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model at the end of epochs: every epoch, or only when a monitored value improves ({@code bestOnly}).
 * Each save replaces the file atomically, so an interrupted run leaves the last good checkpoint to resume from.
 */
public final class ModelCheckpoint implements Callback {

    private final Path file;
    private final String monitor;
    private final boolean bestOnly;
    private final boolean maximise;
    private double best;

    /** Saves after every epoch. */
    public ModelCheckpoint(Path file) {
        this(file, "val_loss", false);
    }

    /** With {@code bestOnly}, saves only when {@code monitor} improves (lower for losses and errors, else higher). */
    public ModelCheckpoint(Path file, String monitor, boolean bestOnly) {
        this.file = file;
        this.monitor = monitor;
        this.bestOnly = bestOnly;
        String key = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        this.maximise = !(key.contains("loss") || key.equals("mse") || key.equals("mae"));
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (context.rank() != 0) return;   // the ranks of data-parallel training hold the same model: one saves it
        if (bestOnly) {
            Double value = logs.get(monitor);
            if (value == null) {
                throw new IllegalStateException("model checkpoint monitors '" + monitor + "', which training does not report "
                        + "(reported: " + logs.keySet() + ")");
            }
            if (!(maximise ? value > best : value < best)) return;
            best = value;
        }
        try {
            context.model().save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
