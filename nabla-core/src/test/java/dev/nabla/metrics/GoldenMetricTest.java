package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric against values computed by hand in plain Python ({@code golden/make_loss_golden.py}), fed as one batch,
 * as uneven batches (accumulation across updates), and again after a reset.
 */
class GoldenMetricTest {

    static List<Golden.Case> cases() {
        return Golden.load("metrics.txt");
    }

    @Test
    void fixtureCoversEveryMetric() {
        Set<String> seen = new HashSet<>();
        for (Golden.Case c : cases()) seen.add(c.param("metric"));
        assertEquals(Set.of("accuracy", "top_k_accuracy", "precision", "recall", "f1_score", "confusion_matrix", "mse",
                "mae", "r2"), seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesHandComputedValue(Golden.Case c) {
        Metric metric = metric(c);
        Tensor pred = toTensor(c.tensor("pred"));
        Tensor target = toTensor(c.tensor("target"));
        double expected = c.tensor("value").values()[0];

        metric.update(pred, target);
        assertEquals(expected, metric.result(), 1e-6 * Math.max(1, Math.abs(expected)), c + " one batch");
        if (metric instanceof ConfusionMatrix cm) assertMatrix(c, cm);

        // the same samples in three uneven batches (views with offsets), after a reset
        metric.reset();
        assertTrue(Double.isNaN(metric.result()), c + ": NaN after reset");
        int n = pred.shape(0);
        int[] cuts = {0, 1, n / 2, n};
        for (int i = 0; i + 1 < cuts.length; i++) metric.update(pred.slice(cuts[i], cuts[i + 1]), target.slice(cuts[i], cuts[i + 1]));
        assertEquals(expected, metric.result(), 1e-6 * Math.max(1, Math.abs(expected)), c + " three batches");
        if (metric instanceof ConfusionMatrix cm) assertMatrix(c, cm);
    }

    private static void assertMatrix(Golden.Case c, ConfusionMatrix cm) {
        Golden.Tensor m = c.tensor("matrix");
        int k = m.shape()[0];
        int[][] expected = new int[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) expected[i][j] = (int) m.values()[i * k + j];
        assertArrayEquals(expected, cm.matrix(), c + " matrix");
    }

    static Metric metric(Golden.Case c) {
        boolean logits = c.has("from_logits") && Boolean.parseBoolean(c.param("from_logits"));
        return switch (c.param("metric")) {
            case "accuracy" -> new Accuracy(logits);
            case "top_k_accuracy" -> new TopKAccuracy(Integer.parseInt(c.param("k")));
            case "precision" -> new Precision(logits);
            case "recall" -> new Recall(logits);
            case "f1_score" -> new F1Score(logits);
            case "confusion_matrix" -> new ConfusionMatrix(logits);
            case "mse" -> new MeanSquaredErrorMetric();
            case "mae" -> new MeanAbsoluteErrorMetric();
            case "r2" -> new RSquared();
            default -> throw new IllegalArgumentException(c + ": unknown metric " + c.param("metric"));
        };
    }

    static Tensor toTensor(Golden.Tensor t) {
        return t.shape().length == 0 ? Tensor.scalar(t.values()[0]) : Tensor.of(t.values(), t.shape());
    }
}
