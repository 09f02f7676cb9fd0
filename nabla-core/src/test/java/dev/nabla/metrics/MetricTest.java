package dev.nabla.metrics;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics on small batches whose values are worked out by hand in the comments. */
class MetricTest {

    // predicted classes 0, 1, 0, 2 (argmax); true classes 0, 1, 2, 2
    static final Tensor LOGITS = Tensor.of(new float[][]{{2, 1, 0}, {0, 3, 1}, {1, 0, 0.5f}, {0, 0, 5}});
    static final Tensor LABELS = Tensor.of(new float[]{0, 1, 2, 2});
    static final Tensor ONE_HOT = Tensor.of(new float[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}});

    @Test
    void multiclassAccuracyFromLabelsColumnsAndOneHot() {
        for (Tensor targets : List.of(LABELS, LABELS.reshape(4, 1), ONE_HOT)) {
            Accuracy a = new Accuracy();
            a.update(LOGITS, targets);
            assertEquals(0.75, a.result());
            assertEquals(4, a.count());
        }
        // probabilities give the same argmax as logits
        Accuracy a = new Accuracy();
        a.update(LOGITS.softmax(1), LABELS);
        assertEquals(0.75, a.result());
    }

    @Test
    void binaryThresholdsProbabilitiesAtHalfAndLogitsAtZero() {
        // probabilities 0.9, 0.4, 0.6, 0.5 -> 1, 0, 1, 0 (0.5 is not above the threshold); targets 1, 1, 0, 0
        Tensor probs = Tensor.of(new float[]{0.9f, 0.4f, 0.6f, 0.5f});
        Tensor targets = Tensor.of(new float[]{1, 1, 0, 0});
        Accuracy a = new Accuracy();
        a.update(probs, targets);
        assertEquals(0.5, a.result());
        a.reset();
        a.update(probs.reshape(4, 1), targets.reshape(4, 1));
        assertEquals(0.5, a.result());
        // logits 2.2, -0.4, 0.4, 0 -> the same decisions with fromLogits
        Tensor logits = Tensor.of(new float[]{2.2f, -0.4f, 0.4f, 0f});
        Accuracy l = new Accuracy(true);
        l.update(logits, targets);
        assertEquals(0.5, l.result());
        // read as probabilities instead they give 1, 0, 0, 0 -> 3 of 4 right
        Accuracy wrong = new Accuracy();
        wrong.update(logits, targets);
        assertEquals(0.75, wrong.result());
        // smoothed targets count as 1 from 0.5 up
        Accuracy smooth = new Accuracy();
        smooth.update(probs, Tensor.of(new float[]{0.95f, 0.9f, 0.05f, 0.1f}));
        assertEquals(0.5, smooth.result());
    }

    @Test
    void binaryPrecisionRecallF1OfThePositiveClass() {
        // predicted 1 0 1 1 0 1, actual 1 1 0 1 0 0: tp 2, predicted positive 4, actual positive 3
        Tensor pred = Tensor.of(new float[]{0.8f, 0.1f, 0.7f, 0.9f, 0.2f, 0.6f});
        Tensor actual = Tensor.of(new float[]{1, 1, 0, 1, 0, 0});
        assertEquals(0.5, run(new Precision(), pred, actual), 1e-12);
        assertEquals(2.0 / 3, run(new Recall(), pred, actual), 1e-12);
        assertEquals(4.0 / 7, run(new F1Score(), pred, actual), 1e-12); // 2 * 2 / (4 + 3)
        // nothing predicted positive: precision 0 (not NaN), recall 0, F1 0
        Tensor none = Tensor.of(new float[]{0.1f, 0.2f});
        Tensor some = Tensor.of(new float[]{1, 0});
        assertEquals(0, run(new Precision(), none, some));
        assertEquals(0, run(new Recall(), none, some));
        assertEquals(0, run(new F1Score(), none, some));
    }

    @Test
    void multiclassPrecisionRecallF1AreMacroAverages() {
        // predicted 0 1 0 2, actual 0 1 2 2
        // class 0: tp 1, predicted 2, actual 1 -> P 1/2, R 1, F1 2/3
        // class 1: tp 1, predicted 1, actual 1 -> P 1,   R 1, F1 1
        // class 2: tp 1, predicted 1, actual 2 -> P 1,   R 1/2, F1 2/3
        assertEquals((0.5 + 1 + 1) / 3, run(new Precision(), LOGITS, LABELS), 1e-12);
        assertEquals((1 + 1 + 0.5) / 3, run(new Recall(), LOGITS, LABELS), 1e-12);
        assertEquals((2.0 / 3 + 1 + 2.0 / 3) / 3, run(new F1Score(), LOGITS, LABELS), 1e-12);
        Precision p = new Precision();
        p.update(LOGITS, ONE_HOT);
        assertEquals(0.5, p.classScore(0), 1e-12);
        assertEquals(1, p.classScore(2), 1e-12);
        // a fourth column that never occurs does not dilute the average
        Tensor four = Tensor.of(new float[][]{{2, 1, 0, -9}, {0, 3, 1, -9}, {1, 0, 0.5f, -9}, {0, 0, 5, -9}});
        assertEquals((0.5 + 1 + 1) / 3, run(new Precision(), four, LABELS), 1e-12);
    }

    @Test
    void confusionMatrixCountsAndTable() {
        ConfusionMatrix cm = new ConfusionMatrix();
        cm.update(LOGITS, LABELS);
        cm.update(LOGITS.slice(0, 1), LABELS.slice(0, 1));
        assertArrayEquals(new int[][]{{2, 0, 0}, {0, 1, 0}, {1, 0, 1}}, cm.matrix());
        assertEquals(1, cm.count(2, 0));
        assertEquals(5, cm.total());
        assertEquals(4.0 / 5, cm.result());
        assertEquals("""
                true\\pred  0  1  2
                        0  2  0  0
                        1  0  1  0
                        2  1  0  1""", cm.toString());
        cm.reset();
        cm.update(Tensor.of(new float[]{0.9f, 0.1f, 0.7f}), Tensor.of(new float[]{1, 1, 0}));
        assertArrayEquals(new int[][]{{0, 1}, {1, 1}}, cm.matrix(), "binary: 2 x 2, rows true, columns predicted");
        assertThrows(IndexOutOfBoundsException.class, () -> cm.count(2, 0));
    }

    @Test
    void topKCountsTiesInTheSamplesFavour() {
        // true-class ranks: sample 0 first, 1 first, 2 second (only 1 > 0.5), 3 first
        TopKAccuracy top1 = new TopKAccuracy(1);
        TopKAccuracy top2 = new TopKAccuracy(2);
        TopKAccuracy top3 = new TopKAccuracy(3);
        for (TopKAccuracy m : List.of(top1, top2, top3)) m.update(LOGITS, LABELS);
        assertEquals(0.75, top1.result());
        assertEquals(1.0, top2.result());
        assertEquals(1.0, top3.result());
        top2.update(Tensor.of(new float[][]{{3, 2, 1}}), Tensor.of(new float[]{2}));
        assertEquals(0.8, top2.result(), 1e-12, "a third-ranked class is outside the top 2");
        assertEquals("top_2_accuracy", top2.name());
        assertEquals(new TopKAccuracy.Config(2), top2.config());
        assertEquals(new Accuracy.Config(true), new Accuracy(true).config());
        assertEquals(new ConfusionMatrix.Config(false), new ConfusionMatrix().config());
        TopKAccuracy tie = new TopKAccuracy(1);
        tie.update(Tensor.of(new float[][]{{1, 1, 0}}), Tensor.of(new float[]{1}));
        assertEquals(1.0, tie.result());
        TopKAccuracy oneHot = new TopKAccuracy(1);
        oneHot.update(LOGITS, ONE_HOT);
        assertEquals(0.75, oneHot.result());
        expectShape(() -> new TopKAccuracy(1).update(Tensor.zeros(4), Tensor.zeros(4)), "top_1_accuracy", "[4]");
        assertThrows(IllegalArgumentException.class, () -> new TopKAccuracy(0));
    }

    @Test
    void regressionMetrics() {
        // errors 0, 0, 0, 1 and -2 -> squared 0 0 0 1 4, absolute 0 0 0 1 2
        Tensor y = Tensor.of(new float[]{1, 2, 3, 4, 5});
        Tensor p = Tensor.of(new float[]{1, 2, 3, 5, 3});
        MeanSquaredErrorMetric mse = new MeanSquaredErrorMetric();
        MeanAbsoluteErrorMetric mae = new MeanAbsoluteErrorMetric();
        RSquared r2 = new RSquared();
        for (Metric m : List.of(mse, mae, r2)) {
            m.update(p.slice(0, 2), y.slice(0, 2).reshape(2, 1));
            m.update(p.slice(2, 5).reshape(3, 1), y.slice(2, 5));
        }
        assertEquals(1.0, mse.result(), 1e-12);
        assertEquals(0.6, mae.result(), 1e-12);
        // mean 3, SS_tot 10, SS_res 5
        assertEquals(0.5, r2.result(), 1e-12);
    }

    @Test
    void rSquaredStreamsWithoutCancellationAndAveragesColumns() {
        // targets 1e7 + (1, 2, 3, 4) over four batches: naive sum(y^2) - sum(y)^2 / n loses SS_tot = 5 entirely
        RSquared r2 = new RSquared();
        float base = 1e7f;
        float[] ys = {base + 1, base + 2, base + 3, base + 4};
        float[] ps = {base + 1, base + 2, base + 3, base + 5};
        for (int i = 0; i < 4; i++) r2.update(Tensor.of(new float[]{ps[i]}), Tensor.of(new float[]{ys[i]}));
        assertEquals(1 - 1.0 / 5, r2.result(), 1e-9);
        // two columns: the first as above (0.8), the second constant and exact (1 by convention) -> 0.9
        RSquared two = new RSquared();
        two.update(Tensor.of(new float[][]{{1, 7}, {2, 7}, {3, 7}, {5, 7}}), Tensor.of(new float[][]{{1, 7}, {2, 7}, {3, 7}, {4, 7}}));
        assertEquals(0.9, two.result(), 1e-12);
        RSquared constantMissed = new RSquared();
        constantMissed.update(Tensor.of(new float[]{1, 2}), Tensor.of(new float[]{3, 3}));
        assertEquals(0, constantMissed.result());
    }

    @Test
    void everyMetricIsNaNBeforeDataAndResets() {
        List<Metric> all = List.of(new Accuracy(), new TopKAccuracy(2), new Precision(), new Recall(), new F1Score(),
                new ConfusionMatrix(), new MeanSquaredErrorMetric(), new MeanAbsoluteErrorMetric(), new RSquared());
        for (Metric m : all) {
            assertTrue(Double.isNaN(m.result()), m.name());
            Tensor pred = m instanceof MeanSquaredErrorMetric || m instanceof MeanAbsoluteErrorMetric
                    || m instanceof RSquared ? Tensor.of(new float[]{1, 2, 4}) : LOGITS;
            Tensor target = pred == LOGITS ? LABELS : Tensor.of(new float[]{1, 3, 3});
            m.update(pred, target);
            assertTrue(Double.isFinite(m.result()), m.name());
            m.reset();
            assertTrue(Double.isNaN(m.result()), m.name() + " after reset");
        }
        assertEquals(List.of("accuracy", "top_2_accuracy", "precision", "recall", "f1_score", "confusion_matrix",
                "mse", "mae", "r2"), all.stream().map(Metric::name).toList());
    }

    @Test
    void badBatchesAreRejectedAndLeaveTheMetricUnchanged() {
        Accuracy a = new Accuracy();
        a.update(LOGITS, LABELS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.update(LOGITS, Tensor.of(new float[]{0, 1, 3, 2})));
        assertTrue(e.getMessage().contains("label 3.0") && e.getMessage().contains("3 classes")
                && e.getMessage().contains("accuracy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.update(LOGITS, Tensor.of(new float[]{0, 1, 1.5f, 2})));
        assertEquals(0.75, a.result());
        assertEquals(4, a.count());
        expectShape(() -> a.update(LOGITS, Tensor.zeros(5)), "accuracy", "[4, 3]", "[5]");
        expectShape(() -> a.update(LOGITS, Tensor.zeros(4, 4)), "accuracy", "[4, 3]", "[4, 4]");
        expectShape(() -> a.update(Tensor.zeros(4), Tensor.zeros(4, 3)), "accuracy", "[4]", "[4, 3]");
        expectShape(() -> a.update(Tensor.zeros(2, 3, 4), Tensor.zeros(2)), "accuracy", "[2, 3, 4]");
        expectShape(() -> a.update(Tensor.zeros(4, 5), LABELS), "accuracy", "5 classes", "3");
        expectShape(() -> new MeanSquaredErrorMetric().update(Tensor.zeros(4, 2), Tensor.zeros(4)), "mse", "[4, 2]", "[4]");
        expectShape(() -> new RSquared().update(Tensor.zeros(3), Tensor.zeros(4)), "r2", "[3]", "[4]");
        assertEquals(0.75, a.result());
    }

    @Test
    void stridedPredictionsAreRead() {
        // LOGITS transposed twice through a [3, 4] copy: a non-contiguous [4, 3] view
        Tensor strided = Tensor.of(LOGITS.transpose(0, 1).toArray(), 3, 4).transpose(0, 1);
        assertTrue(!strided.isContiguous());
        assertEquals(0.75, run(new Accuracy(), strided, LABELS));
        assertEquals(0.75, run(new TopKAccuracy(1), strided, LABELS));
    }

    private static double run(Metric m, Tensor pred, Tensor target) {
        m.update(pred, target);
        return m.result();
    }

    private static void expectShape(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }
}
