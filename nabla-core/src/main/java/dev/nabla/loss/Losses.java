package dev.nabla.loss;

import java.util.Locale;
import java.util.Map;

/** Losses by name (as {@link Loss#name()} reports them, or the command line's short names). */
public final class Losses {

    private Losses() {
    }

    /** Creates a loss from its name and the settings {@link Loss#config()} reported. */
    public static Loss create(String name, Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        Reduction reduction = Reduction.valueOf(c.getOrDefault("reduction", "MEAN").toUpperCase(Locale.ROOT));
        float smoothing = Float.parseFloat(c.getOrDefault("label_smoothing", "0"));
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "mse", "mean_squared_error" -> new MeanSquaredError(reduction);
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError(reduction);
            case "huber" -> new Huber(Float.parseFloat(c.getOrDefault("delta", "1")), reduction);
            case "binary_crossentropy", "binary_cross_entropy" ->
                    new BinaryCrossEntropy(Boolean.parseBoolean(c.getOrDefault("from_logits", "true")), reduction);
            case "categorical_crossentropy" -> new CategoricalCrossEntropy(smoothing, reduction);
            case "sparse_categorical_crossentropy", "cross_entropy" -> new SparseCategoricalCrossEntropy(smoothing, reduction);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: cross-entropy, "
                    + "binary-cross-entropy, categorical_crossentropy, mse, mae, huber)");
        };
    }
}
