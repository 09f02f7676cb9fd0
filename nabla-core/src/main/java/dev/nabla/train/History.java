package dev.nabla.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-epoch logs of training: loss, metrics, their validation counterparts and the learning rate. */
public final class History {

    private final List<Map<String, Double>> epochs = new ArrayList<>();

    /** Appends one epoch's logs (copied). */
    public void add(Map<String, Double> logs) {
        epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(logs)));
    }

    /** Forgets every epoch (before restoring a saved history). */
    public void clear() {
        epochs.clear();
    }

    /** All epochs, oldest first. */
    public List<Map<String, Double>> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** One key's values over the epochs, e.g. {@code values("val_loss")}; NaN where an epoch lacks it. */
    public double[] values(String key) {
        double[] v = new double[epochs.size()];
        for (int i = 0; i < v.length; i++) v[i] = epochs.get(i).getOrDefault(key, Double.NaN);
        return v;
    }

    public int size() {
        return epochs.size();
    }

    /** The last epoch's logs, or an empty map. */
    public Map<String, Double> last() {
        return epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1);
    }

    @Override
    public String toString() {
        return epochs.toString();
    }
}
