package dev.nabla.train;

import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops training when a monitored value (default {@code val_loss}) has not improved by at least {@code minDelta} for
 * {@code patience} epochs; optionally puts back the weights of the best epoch.
 */
public final class EarlyStopping implements Callback {

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private final boolean maximise;
    private double best;
    private int bestEpoch;
    private int wait;
    private List<float[]> bestWeights;
    private boolean resumed;

    /** Watches {@code val_loss} with the given patience and restores the best weights. */
    public EarlyStopping(int patience) {
        this("val_loss", patience, 0.0, true);
    }

    /** Lower is better for losses and errors; higher for the other metrics (accuracy, f1, r2, ...). */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0) throw new IllegalArgumentException("early stopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.restoreBestWeights = restoreBestWeights;
        String key = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        this.maximise = !(key.contains("loss") || key.equals("mse") || key.equals("mae"));
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        if (resumed) {
            // the model resumed from holds the best weights (they were put back before it was saved)
            resumed = false;
            bestWeights = restoreBestWeights && bestEpoch > 0 ? snapshot(context.model()) : null;
            return;
        }
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        bestWeights = null;
    }

    /**
     * Continues the counting of an earlier run (saved from {@link #bestValue}, {@link #bestEpoch} and {@link #waited})
     * in the next {@code fit}, whose model starts from that run's best weights, instead of starting afresh.
     */
    public EarlyStopping resume(double bestValue, int bestEpoch, int waited) {
        if (bestEpoch < 0 || waited < 0) throw new IllegalArgumentException("early stopping: counters must be >= 0");
        this.best = bestValue;
        this.bestEpoch = bestEpoch;
        this.wait = waited;
        this.resumed = true;
        return this;
    }

    /** Epochs since the best one (the patience used up). */
    public int waited() {
        return wait;
    }

    /** The monitored value's name, e.g. {@code val_loss}. */
    public String monitor() {
        return monitor;
    }

    /** Whether training stopped because patience ran out. */
    public boolean stopped() {
        return wait > patience;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        Double value = logs.get(monitor);
        if (value == null) {
            throw new IllegalStateException("early stopping monitors '" + monitor + "', which training does not report "
                    + "(reported: " + logs.keySet() + "; validation values need validation data)");
        }
        boolean improved = maximise ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) bestWeights = snapshot(context.model());
        } else if (++wait > patience) {
            context.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        if (restoreBestWeights && bestWeights != null) restore(context.model(), bestWeights);
    }

    /** The epoch with the best monitored value (0 before any). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return best;
    }

    private static List<Tensor> state(Model model) {
        List<Tensor> all = new ArrayList<>(model.network().namedParameters().values());
        all.addAll(model.network().namedBuffers().values());
        return all;
    }

    private static List<float[]> snapshot(Model model) {
        List<float[]> copy = new ArrayList<>();
        for (Tensor t : state(model)) copy.add(t.toArray());
        return copy;
    }

    private static void restore(Model model, List<float[]> saved) {
        List<Tensor> live = state(model);
        for (int i = 0; i < live.size(); i++) {
            Tensor t = live.get(i);
            System.arraycopy(saved.get(i), 0, t.data(), t.offset(), t.size());
        }
        dev.nabla.kernel.ParameterArrays.modified();
    }
}
