package dev.nabla.metrics;

import java.util.Locale;

/** Metrics by the names they report ({@link Metric#name()}), for saved models. */
public final class Metrics {

    private Metrics() {
    }

    /** Creates a metric by name; {@code fromLogits} applies to the binary classification metrics. */
    public static Metric create(String name, boolean fromLogits) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.startsWith("top_") && key.endsWith("_accuracy")) {
            return new TopKAccuracy(Integer.parseInt(key.substring(4, key.length() - "_accuracy".length())));
        }
        return switch (key) {
            case "accuracy" -> new Accuracy(fromLogits);
            case "precision" -> new Precision(fromLogits);
            case "recall" -> new Recall(fromLogits);
            case "f1", "f1_score" -> new F1Score(fromLogits);
            case "confusion_matrix" -> new ConfusionMatrix(fromLogits);
            case "mse" -> new MeanSquaredErrorMetric();
            case "mae" -> new MeanAbsoluteErrorMetric();
            case "r2" -> new RSquared();
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'");
        };
    }
}
