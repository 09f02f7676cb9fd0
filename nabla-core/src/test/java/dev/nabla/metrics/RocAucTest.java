package dev.nabla.metrics;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ROC AUC against values counted pair by pair in plain Python ({@code golden/make_auc_golden.py}: binary and
 * one-vs-rest macro, ties, logits, one-hot targets), against hand-computed examples, and where it is undefined.
 */
class RocAucTest {

    static List<Golden.Case> cases() {
        return Golden.load("auc.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPairCounting(Golden.Case c) {
        RocAuc auc = new RocAuc(Boolean.parseBoolean(c.param("from_logits")));
        Tensor pred = GoldenMetricTest.toTensor(c.tensor("pred"));
        Tensor target = GoldenMetricTest.toTensor(c.tensor("target"));
        double expected = c.tensor("value").values()[0];
        auc.update(pred, target);
        assertEquals(expected, auc.result(), 1e-6, c + " one batch");
        if (c.tensorNames().contains("class_auc")) {
            float[] perClass = c.tensor("class_auc").values();
            for (int k = 0; k < perClass.length; k++) assertEquals(perClass[k], auc.classAuc(k), 1e-6, c + " class " + k);
        }
        auc.reset();
        assertTrue(Double.isNaN(auc.result()), "NaN after reset");
        int n = pred.shape(0);
        int[] cuts = {0, 1, n / 3, n / 2, n};
        for (int i = 0; i + 1 < cuts.length; i++) auc.update(pred.slice(cuts[i], cuts[i + 1]), target.slice(cuts[i], cuts[i + 1]));
        assertEquals(expected, auc.result(), 1e-6, c + " four batches");
    }

    @Test
    void scikitLearnDocumentationExample() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(new float[]{0.1f, 0.4f, 0.35f, 0.8f}), Tensor.of(new float[]{0, 0, 1, 1}));
        assertEquals(0.75, auc.result(), 1e-12);
    }

    @Test
    void tiesCountOneHalf() {
        // positives 0.5 and 0.9, negatives 0.5 and 0.5: pairs 0.5/0.5 twice tie (1), 0.9 beats both (2) -> 3/4
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(new float[]{0.5f, 0.5f, 0.5f, 0.9f}, 4, 1), Tensor.of(new float[]{0, 1, 0, 1}));
        assertEquals(0.75, auc.result(), 1e-12);
        // every score equal: a chance ranking, 0.5; -0 and +0 are one score
        auc.reset();
        auc.update(Tensor.of(new float[]{0f, -0f, 0f, -0f}), Tensor.of(new float[]{0, 1, 1, 0}));
        assertEquals(0.5, auc.result(), 1e-12);
    }

    @Test
    void perfectAndReversedRankings() {
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(new float[]{-3, -1, 2, 5}), Tensor.of(new float[]{0, 0, 1, 1}));
        assertEquals(1.0, auc.result());
        auc.reset();
        auc.update(Tensor.of(new float[]{-3, -1, 2, 5}), Tensor.of(new float[]{1, 1, 0, 0}));
        assertEquals(0.0, auc.result());
    }

    @Test
    void oneVsRestMacroByHand() {
        // 3 classes, 4 samples of labels 0, 1, 2, 0; column k ranks "label == k" against the rest
        float[] rows = {
                0.7f, 0.2f, 0.1f,
                0.3f, 0.4f, 0.3f,
                0.2f, 0.5f, 0.3f,
                0.3f, 0.3f, 0.4f};
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(rows, 4, 3), Tensor.of(new float[]{0, 1, 2, 0}));
        // class 0: positives 0.7, 0.3 vs negatives 0.3, 0.2: 0.7 wins 2, 0.3 ties 0.3 (0.5) and beats 0.2 (1) -> 3.5/4
        assertEquals(3.5 / 4, auc.classAuc(0), 1e-12);
        // class 1: positive 0.4 vs 0.2, 0.5, 0.3: 2/3
        assertEquals(2.0 / 3, auc.classAuc(1), 1e-12);
        // class 2: positive 0.3 vs 0.1, 0.3, 0.4: 1 + 0.5 -> 1.5/3
        assertEquals(0.5, auc.classAuc(2), 1e-12);
        assertEquals((3.5 / 4 + 2.0 / 3 + 0.5) / 3, auc.result(), 1e-12);
        // logits: the softmax's probabilities rank the samples, not the raw logit column
        RocAuc fromLogits = new RocAuc(true);
        float[] logits = {0, 0, 0, 2, -5, -5, 1, 0, 0};   // column 0: 0 < 1 < 2 but p0 = 1/3, 0.998, 0.576
        fromLogits.update(Tensor.of(logits, 3, 3), Tensor.of(new float[]{1, 0, 2}));
        assertEquals(1.0, fromLogits.classAuc(0), 1e-12);
        RocAuc raw = new RocAuc(false);
        raw.update(Tensor.of(logits, 3, 3), Tensor.of(new float[]{1, 0, 2}));
        assertEquals(1.0, raw.classAuc(0), 1e-12);
        // column 1 as probabilities: 1/3, 0.0009, 0.2119 for labels 1, 0, 2 -> class 1 ranks first: 1.0; raw logits
        // 0, -5, 0 tie with class 2's sample: 0.75
        assertEquals(1.0, fromLogits.classAuc(1), 1e-12);
        assertEquals(0.75, raw.classAuc(1), 1e-12);
    }

    @Test
    void undefinedWhenAClassIsAbsent() {
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(new float[]{0.2f, 0.9f, 0.4f}), Tensor.of(new float[]{1, 1, 1}));
        assertTrue(Double.isNaN(auc.result()), "only positives");
        assertEquals(2, auc.classes());
        auc.reset();
        auc.update(Tensor.of(new float[]{0.6f, 0.3f, 0.1f, 0.2f, 0.5f, 0.3f}, 2, 3), Tensor.of(new float[]{0, 1}));
        assertTrue(Double.isNaN(auc.result()), "class 2 never occurs");
        assertEquals(1.0, auc.classAuc(0));
        assertTrue(Double.isNaN(auc.classAuc(2)));
        assertEquals(1, auc.support(0));
        assertEquals(0, auc.support(2));
        auc.reset();
        assertTrue(Double.isNaN(auc.result()), "no samples");
        auc.update(Tensor.of(new float[]{Float.NaN, 0.4f}), Tensor.of(new float[]{0, 1}));
        assertTrue(Double.isNaN(auc.result()), "a NaN score");
    }

    @Test
    void aBatchOfOtherClassesIsRefused() {
        RocAuc auc = new RocAuc();
        auc.update(Tensor.of(new float[]{0.6f, 0.4f, 0.3f, 0.7f}, 2, 2), Tensor.of(new float[]{0, 1}));
        assertThrows(ShapeException.class, () -> auc.update(Tensor.of(new float[]{0.6f, 0.4f, 0f}, 1, 3), Tensor.of(new float[]{0})));
        assertThrows(IllegalArgumentException.class, () -> auc.update(Tensor.of(new float[]{0.6f, 0.4f}, 1, 2), Tensor.of(new float[]{5})));
        assertEquals(1.0, auc.result(), "the refused batches left it as it was");
    }

    @Test
    void registeredLikeTheOtherMetrics() {
        Metric m = Metrics.create("auc", Map.of("from_logits", true), Set.of(), "test");
        assertInstanceOf(RocAuc.class, m);
        assertTrue(((RocAuc) m).fromLogits());
        assertEquals("auc", Metrics.nameOf(m));
        assertInstanceOf(RocAuc.class, Metrics.registry().fromToken("roc_auc", "test"));
        assertEquals(new RocAuc.Config(false), Metrics.create("auc", false).config());
    }
}
