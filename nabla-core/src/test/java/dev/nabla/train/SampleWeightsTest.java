package dev.nabla.train;

import dev.nabla.loss.Loss;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Weighted training: the weighted mean loss against scripts/weighted_loss_reference.py, gradients, direction. */
class SampleWeightsTest {

    private static final float[] LOGITS = {1, 2, 0.5f, 0.1f, -1, 2, 3, 0, 0};
    private static final float[] LABELS = {1, 2, 0};
    private static final float[] WEIGHTS = {2, 0.5f, 1};

    @Test
    void weightedCrossEntropyAndGradientMatchTheReference() {
        Tensor x = Tensor.of(LOGITS.clone(), 3, 3).requiresGrad(true);
        Tensor loss = SampleWeights.weighted(new SparseCategoricalCrossEntropy(), x, Tensor.of(LABELS, 3), Tensor.of(WEIGHTS, 3));
        assertEquals(0.31844364783754503, loss.item(), 1e-6);
        loss.backward();
        float[] expected = {0.132127941f, -0.212267589f, 0.080139648f, 0.017815354f, 0.005930216f, -0.02374557f,
                -0.025873429f, 0.012936714f, 0.012936714f};
        assertArrayEquals(expected, x.grad().toArray(), 1e-6f);
        // equal weights give the unweighted loss, and so does any common factor
        Tensor ones = SampleWeights.weighted(new SparseCategoricalCrossEntropy(), Tensor.of(LOGITS, 3, 3), Tensor.of(LABELS, 3),
                Tensor.of(new float[]{3, 3, 3}, 3));
        assertEquals(0.24702540870600634, ones.item(), 1e-6);
        assertEquals(new SparseCategoricalCrossEntropy().compute(Tensor.of(LOGITS, 3, 3), Tensor.of(LABELS, 3)).item(), ones.item(), 1e-6);
    }

    @Test
    void weightedMseMatchesTheReferenceAndFiniteDifferences() {
        Loss mse = new MeanSquaredError();
        Tensor y = Tensor.of(new float[]{1, 1, 1}, 3, 1);
        Tensor w = Tensor.of(WEIGHTS, 3);
        assertEquals(1.4285714285714286, SampleWeights.weighted(mse, Tensor.of(new float[]{0.5f, 2, -1}, 3, 1), y, w).item(), 1e-6);
        // the gradient of the weighted cross-entropy against central differences of its value
        Tensor x = Tensor.of(LOGITS.clone(), 3, 3).requiresGrad(true);
        SampleWeights.weighted(new SparseCategoricalCrossEntropy(0.1f), x, Tensor.of(LABELS, 3), w).backward();
        float[] g = x.grad().toArray();
        double h = 1e-3;
        for (int i = 0; i < LOGITS.length; i++) {
            float[] up = LOGITS.clone();
            float[] down = LOGITS.clone();
            up[i] += (float) h;
            down[i] -= (float) h;
            double numeric = (value(up, w) - value(down, w)) / (2 * h);
            assertEquals(numeric, g[i], 2e-4, "logit " + i);
        }
    }

    private static double value(float[] logits, Tensor w) {
        return SampleWeights.weighted(new SparseCategoricalCrossEntropy(0.1f), Tensor.of(logits, 3, 3), Tensor.of(LABELS, 3), w).item();
    }

    @Test
    void balancedWeightsFollowScikitLearn() {
        // 6 samples: 4 of class 0, 2 of class 1, none of class 2: 6 / (3 * 4), 6 / (3 * 2), 0
        float[] w = SampleWeights.balanced(Tensor.of(new float[]{0, 0, 1, 0, 1, 0}, 6), 3);
        assertArrayEquals(new float[]{0.5f, 1f, 0f}, w, 1e-7f);
        Tensor per = SampleWeights.ofClasses(Tensor.of(new float[]{0, 1, 1}, 3), new float[]{2, 3}, Tensor.of(new float[]{1, 0.5f, 2}, 3));
        assertArrayEquals(new float[]{2, 1.5f, 6}, per.toArray());
    }

    @Test
    void balancedWeightsMoveAnUninformedClassifierToEvenOdds() {
        // the input says nothing: the best the model can do is the weighted share of each class, 10% unweighted
        int n = 100;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1;
            y[i] = i < 10 ? 1 : 0;
        }
        Tensor xs = Tensor.of(x, n, 1);
        Tensor ys = Tensor.of(y, n);
        float plain = minorityProbability(xs, ys, null);
        float balanced = minorityProbability(xs, ys, SampleWeights.ofClasses(ys, SampleWeights.balanced(ys, 2), null));
        assertEquals(0.1, plain, 0.02);
        assertEquals(0.5, balanced, 0.02);
    }

    private static float minorityProbability(Tensor x, Tensor y, Tensor weights) {
        Model model = new Model(new Sequential(new Dense(2)).seed(3));
        model.compile(p -> new Sgd(p, 0.5f), new SparseCategoricalCrossEntropy());
        model.fit(x, y, new FitOptions().epochs(60).batchSize(100).seed(1).sampleWeights(weights));
        return model.predict(x.slice(0, 1)).toArray()[1];
    }

    @Test
    void badWeightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().sampleWeights(Tensor.of(new float[]{1, -1}, 2)));
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().sampleWeights(Tensor.of(new float[]{0, 0}, 2)));
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().sampleWeights(Tensor.of(new float[]{Float.NaN}, 1)));
        Model model = new Model(new Sequential(new Dense(2)).seed(3));
        model.compile(p -> new Sgd(p, 0.5f), new SparseCategoricalCrossEntropy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(Tensor.zeros(3, 1),
                Tensor.of(new float[]{0, 1, 0}, 3), new FitOptions().epochs(1).sampleWeights(Tensor.of(new float[]{1, 2}, 2))));
        assertEquals("fit: 2 sample weights for 3 samples (give one weight per sample of x)", e.getMessage());
    }
}
