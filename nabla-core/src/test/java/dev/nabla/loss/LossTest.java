package dev.nabla.loss;

import dev.nabla.autograd.GradMode;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static dev.nabla.loss.LossGradientTest.oneHot;
import static dev.nabla.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed values, numerical stability, the fused ops' shape of work, and error messages. */
class LossTest {

    @Test
    void names() {
        assertEquals("mse", new MeanSquaredError().name());
        assertEquals("mae", new MeanAbsoluteError().name());
        assertEquals("huber", new Huber().name());
        assertEquals("binary_crossentropy", new BinaryCrossEntropy(true).name());
        assertEquals("categorical_crossentropy", new CategoricalCrossEntropy().name());
        assertEquals("sparse_categorical_crossentropy", new SparseCategoricalCrossEntropy().name());
    }

    @Test
    void configsHoldTheConstructorsSettings() {
        assertEquals(new MeanSquaredError.Config(Reduction.SUM), new MeanSquaredError(Reduction.SUM).config());
        assertEquals(new MeanAbsoluteError.Config(Reduction.MEAN), new MeanAbsoluteError().config());
        assertEquals(new Huber.Config(Reduction.SUM, 0.5f), new Huber(0.5f, Reduction.SUM).config());
        assertEquals(new BinaryCrossEntropy.Config(Reduction.MEAN, false), new BinaryCrossEntropy().config());
        assertEquals(new CategoricalCrossEntropy.Config(Reduction.SUM, 0.1f), new CategoricalCrossEntropy(0.1f, Reduction.SUM).config());
        assertEquals(new SparseCategoricalCrossEntropy.Config(Reduction.MEAN, 0.2f), new SparseCategoricalCrossEntropy(0.2f).config());
        // and a config gives back the same loss
        Huber h = new Huber(new Huber.Config(Reduction.SUM, 2f));
        assertEquals(2f, h.delta());
        assertEquals(Reduction.SUM, h.reduction());
        assertThrows(IllegalArgumentException.class, () -> new Huber(new Huber.Config(Reduction.MEAN, -1f)));
    }

    @Test
    void predictionsAreProbabilitiesForTheLogitLosses() {
        Tensor logits = Tensor.of(new float[][]{{0f, (float) Math.log(3)}, {2f, 2f}});
        float[] softmax = {0.25f, 0.75f, 0.5f, 0.5f};
        assertArrayEquals(softmax, new SparseCategoricalCrossEntropy().toPrediction(logits).toArray(), 1e-6f);
        assertArrayEquals(softmax, new CategoricalCrossEntropy().toPrediction(logits).toArray(), 1e-6f);
        Tensor single = Tensor.of(new float[]{0f, (float) Math.log(3)});
        assertArrayEquals(new float[]{0.5f, 0.75f}, new BinaryCrossEntropy(true).toPrediction(single).toArray(), 1e-6f);
        assertArrayEquals(single.toArray(), new BinaryCrossEntropy(false).toPrediction(single).toArray());
        assertArrayEquals(single.toArray(), new MeanSquaredError().toPrediction(single).toArray());
    }

    @Test
    void handComputedValues() {
        Tensor p = Tensor.of(new float[]{1, 2, 4});
        Tensor y = Tensor.of(new float[]{0, 2, 1});
        assertEquals(10f / 3, new MeanSquaredError().compute(p, y).item(), 1e-6);
        assertEquals(10f, new MeanSquaredError(Reduction.SUM).compute(p, y).item(), 1e-6);
        assertEquals(4f / 3, new MeanAbsoluteError().compute(p, y).item(), 1e-6);
        // huber(delta=1): 0.5 (|d| = 1 is the boundary), 0, 1 * (3 - 0.5) = 2.5
        assertEquals(3f / 3, new Huber().compute(p, y).item(), 1e-6);
        // huber(delta=2): 0.5, 0, 2 * (3 - 1) = 4
        assertEquals(4.5f, new Huber(2f, Reduction.SUM).compute(p, y).item(), 1e-6);
        // bce: -log(0.8) and -log(1 - 0.25)
        Tensor probs = Tensor.of(new float[]{0.8f, 0.25f});
        Tensor labels = Tensor.of(new float[]{1, 0});
        assertEquals((-Math.log(0.8) - Math.log(0.75)) / 2, new BinaryCrossEntropy().compute(probs, labels).item(), 1e-6);
        // softmax cross-entropy of [0, ln 3] for class 1: -log(3/4)
        Tensor logits = Tensor.of(new float[][]{{0f, (float) Math.log(3)}});
        assertEquals(-Math.log(0.75), new SparseCategoricalCrossEntropy().compute(logits, Tensor.of(new float[]{1})).item(), 1e-6);
        assertEquals(-Math.log(0.75), new CategoricalCrossEntropy().compute(logits, oneHot(new int[]{1}, 2)).item(), 1e-6);
        // smoothing 0.5 over 2 classes: targets (0.25, 0.75), loss 0.25 * log 4 + 0.75 * -log(3/4)
        double smoothed = 0.25 * Math.log(4) - 0.75 * Math.log(0.75);
        assertEquals(smoothed, new SparseCategoricalCrossEntropy(0.5f).compute(logits, Tensor.of(new float[]{1})).item(), 1e-6);
        assertEquals(smoothed, new CategoricalCrossEntropy(0.5f).compute(logits, oneHot(new int[]{1}, 2)).item(), 1e-6);
    }

    @Test
    void sparseAndOneHotAgreeIncludingGradient() {
        Tensor labels = Tensor.of(new float[]{2, 0, 1, 2, 1});
        for (float eps : new float[]{0f, 0.3f}) {
            for (Reduction r : Reduction.values()) {
                Tensor a = uniform(11, -5, 5, 5, 3).requiresGrad(true);
                Tensor b = a.detach().copy().requiresGrad(true);
                Tensor la = new SparseCategoricalCrossEntropy(eps, r).compute(a, labels);
                Tensor lb = new CategoricalCrossEntropy(eps, r).compute(b, oneHot(new int[]{2, 0, 1, 2, 1}, 3));
                assertEquals(lb.item(), la.item(), 1e-6);
                la.backward();
                lb.backward();
                assertArrayEquals(b.grad().toArray(), a.grad().toArray(), 1e-6f);
            }
        }
    }

    @Test
    void crossEntropyIsOneFusedOpWithGradientSoftmaxMinusTargetOverN() {
        Tensor x = uniform(12, -2, 2, 4, 5).requiresGrad(true);
        Tensor labels = Tensor.of(new float[]{4, 0, 2, 2});
        Tensor loss = new SparseCategoricalCrossEntropy().compute(x, labels);
        assertInstanceOf(SoftmaxCrossEntropy.class, loss.gradFn(), "one recorded op, no intermediates");
        loss.backward();
        float[] expected = x.detach().softmax(1).sub(oneHot(new int[]{4, 0, 2, 2}, 5)).div(4f).toArray();
        assertArrayEquals(expected, x.grad().toArray(), 1e-6f);

        Tensor y = uniform(13, -2, 2, 4, 5).requiresGrad(true);
        Tensor dense = new CategoricalCrossEntropy().compute(y, oneHot(new int[]{1, 1, 3, 0}, 5));
        assertInstanceOf(SoftmaxCrossEntropy.class, dense.gradFn());
    }

    @Test
    void nothingIsRecordedWithoutGradAndTheValueIsTheSame() {
        Tensor x = uniform(14, -2, 2, 3, 2).requiresGrad(true);
        Tensor labels = Tensor.of(new float[]{0, 1, 1});
        Tensor oneHot = oneHot(new int[]{0, 1, 1}, 2);
        List<Loss> losses = List.of(new SparseCategoricalCrossEntropy(0.1f), new CategoricalCrossEntropy(0.1f),
                new MeanSquaredError(), new BinaryCrossEntropy(true));
        for (Loss loss : losses) {
            Tensor targets = loss instanceof SparseCategoricalCrossEntropy ? labels : oneHot;
            float recorded = loss.compute(x, targets).item();
            try (var ignored = GradMode.noGrad()) {
                Tensor out = loss.compute(x, targets);
                assertNull(out.gradFn(), loss.name());
                assertEquals(recorded, out.item(), loss.name());
            }
        }
    }

    @Test
    void hugeLogitsGiveFiniteExactLossAndGradient() {
        Tensor logits = Tensor.of(new float[][]{{1000f, -1000f}, {-1000f, 1000f}, {1000f, 1000f}});
        Tensor labels = Tensor.of(new float[]{1, 1, 0});
        Tensor x = logits.copy().requiresGrad(true);
        Tensor loss = new SparseCategoricalCrossEntropy(0f, Reduction.SUM).compute(x, labels);
        assertEquals(2000 + 0 + Math.log(2), loss.item(), 1e-3);
        loss.backward();
        assertArrayEquals(new float[]{1, -1, 0, 0, -0.5f, 0.5f}, x.grad().toArray(), 1e-6f);

        Tensor xc = logits.copy().requiresGrad(true);
        Tensor dense = new CategoricalCrossEntropy(0.1f).compute(xc, oneHot(new int[]{1, 1, 0}, 2));
        assertFinite("categorical loss", dense.toArray());
        dense.backward();
        assertFinite("categorical gradient", xc.grad().toArray());

        Tensor xb = Tensor.of(new float[]{1000f, -1000f, 1000f, -1000f, 0f}).requiresGrad(true);
        Tensor bce = new BinaryCrossEntropy(true, Reduction.SUM).compute(xb, Tensor.of(new float[]{1, 0, 0, 1, 1}));
        assertEquals(2000 + Math.log(2), bce.item(), 1e-3);
        bce.backward();
        assertArrayEquals(new float[]{0, 0, 1, -1, -0.5f}, xb.grad().toArray(), 1e-6f);
    }

    @Test
    void saturatedProbabilitiesGiveTorchsClampedLossAndNoNaN() {
        Tensor p = Tensor.of(new float[]{0f, 1f, 0f, 1f}).requiresGrad(true);
        Tensor loss = new BinaryCrossEntropy(false, Reduction.SUM).compute(p, Tensor.of(new float[]{0, 1, 1, 0}));
        assertEquals(200f, loss.item(), 1e-4, "log clamped at -100 for the two wrong ones, 0 for the right ones");
        loss.backward();
        float[] g = p.grad().toArray();
        assertEquals(0f, g[0]);
        assertEquals(0f, g[1]);
        assertEquals(-1e12f, g[2], 1e6);
        assertEquals(1e12f, g[3], 1e6);
    }

    @Test
    void vectorAndColumnAreAcceptedForOneAnother() {
        Tensor column = Tensor.of(new float[]{1, 2, 3}, 3, 1).requiresGrad(true);
        Tensor vector = Tensor.of(new float[]{0, 2, 5});
        for (Loss loss : List.of(new MeanSquaredError(), new MeanAbsoluteError(), new Huber(),
                new BinaryCrossEntropy(true))) {
            Tensor a = loss.compute(column, vector);
            Tensor b = loss.compute(column, vector.reshape(3, 1));
            assertEquals(b.item(), a.item(), 1e-6, loss.name());
            assertEquals(a.item(), loss.compute(column.detach().reshape(3), vector.reshape(3, 1)).item(), 1e-6, loss.name());
        }
        // not the [3, 3] broadcast torch would silently compute: (1 + 0 + 4) / 3
        assertEquals(5f / 3, new MeanSquaredError().compute(column, vector).item(), 1e-6);
    }

    @Test
    void shapeMismatchesNameTheLossAndBothShapes() {
        Tensor p = Tensor.zeros(4, 3);
        expectShape(() -> new MeanSquaredError().compute(p, Tensor.zeros(4, 2)), "mse", "[4, 3]", "[4, 2]");
        expectShape(() -> new MeanAbsoluteError().compute(p, Tensor.zeros(3, 4)), "mae", "[4, 3]", "[3, 4]");
        expectShape(() -> new Huber().compute(p, Tensor.zeros(4)), "huber", "[4, 3]", "[4]");
        expectShape(() -> new BinaryCrossEntropy(true).compute(Tensor.zeros(4, 1), Tensor.zeros(5)),
                "binary_crossentropy", "[4, 1]", "[5]");
        expectShape(() -> new CategoricalCrossEntropy().compute(p, Tensor.zeros(4)), "categorical_crossentropy",
                "[4, 3]", "[4]");
        expectShape(() -> new CategoricalCrossEntropy().compute(p, Tensor.zeros(4, 4)), "categorical_crossentropy",
                "[4, 3]", "[4, 4]");
        expectShape(() -> new SparseCategoricalCrossEntropy().compute(p, Tensor.zeros(5)),
                "sparse_categorical_crossentropy", "[4, 3]", "[5]");
        expectShape(() -> new SparseCategoricalCrossEntropy().compute(p, Tensor.zeros(4, 3)),
                "sparse_categorical_crossentropy", "[4, 3]", "[4, 3]");
        expectShape(() -> new SparseCategoricalCrossEntropy().compute(Tensor.zeros(4), Tensor.zeros(4)),
                "sparse_categorical_crossentropy", "[4]", "[4]");
        expectShape(() -> new CategoricalCrossEntropy().compute(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4)),
                "categorical_crossentropy", "[2, 3, 4]", "[2, 3, 4]");
    }

    @Test
    void badLabelsNameTheLabelAndTheClassCount() {
        Tensor logits = Tensor.zeros(3, 4);
        for (float bad : new float[]{4f, -1f, 1.5f, Float.NaN, 1e10f}) {
            Tensor labels = Tensor.of(new float[]{0, bad, 2});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SparseCategoricalCrossEntropy().compute(logits, labels));
            assertTrue(e.getMessage().contains("label " + bad) && e.getMessage().contains("4 classes")
                    && e.getMessage().contains("sparse_categorical_crossentropy"), e.getMessage());
        }
    }

    @Test
    void badArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BinaryCrossEntropy(false).compute(Tensor.of(new float[]{0.5f, 1.5f}), Tensor.of(new float[]{0, 1})));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("binary_crossentropy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Huber(0f));
        assertThrows(IllegalArgumentException.class, () -> new Huber(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new CategoricalCrossEntropy(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SparseCategoricalCrossEntropy(1.5f));
        assertThrows(NullPointerException.class, () -> new MeanSquaredError((Reduction) null));
    }

    private static void expectShape(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }

    private static void assertFinite(String what, float[] values) {
        for (int i = 0; i < values.length; i++) assertTrue(Float.isFinite(values[i]), what + "[" + i + "] = " + values[i]);
    }
}
