package dev.nabla.nn;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SequentialTest {

    @Test
    void buildsLazilyFromTheFirstInput() {
        Sequential model = new Sequential(new Dense(8, Activation.RELU), new Dense(3));
        assertFalse(model.isBuilt());
        Tensor out = model.forward(Tensor.ones(5, 4));
        assertArrayEquals(new int[]{5, 3}, out.shape());
        assertTrue(model.isBuilt());
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, model.parameterCount());
        assertEquals(4, model.parameters().size());
        assertTrue(model.namedParameters().containsKey("0.weight"));
        assertTrue(model.namedParameters().containsKey("1.bias"));
    }

    /**
     * A ReLU convolution followed by max pooling runs as one op where the native kernels can (see Conv2dReluMaxPool);
     * the model's output and gradients must be those of the layers run one by one, shape errors included.
     */
    @Test
    void convolutionThenPoolingGivesWhatTheLayersGiveOneByOne() {
        Sequential model = new Sequential(new Conv2D(4, 3, Activation.RELU), new MaxPool2D(2),
                new Conv2D(6, 3, 1, 1, Activation.RELU), new MaxPool2D(2, 1), new Flatten(), new Dense(3)).seed(9);
        Tensor x = Tensor.uniform(new SplittableRandom(5), 0, 1, 3, 2, 12, 12);
        Tensor together = model.forward(x);
        together.square().sum().backward();
        java.util.List<float[]> fusedGrads = new java.util.ArrayList<>();
        for (Tensor p : model.parameters()) fusedGrads.add(p.grad().toArray());
        model.zeroGrad();

        Tensor h = x;
        for (Module layer : model.layers()) h = layer.forward(h);
        h.square().sum().backward();
        float[] expected = h.toArray();
        float[] actual = together.toArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5, "output " + i);
        for (int k = 0; k < fusedGrads.size(); k++) {
            float[] e = model.parameters().get(k).grad().toArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], fusedGrads.get(k)[i], 1e-4 * Math.max(1, Math.abs(e[i])), "gradient " + k + "[" + i + "]");
            }
        }
        ShapeException wrong = assertThrows(ShapeException.class, () -> model.forward(Tensor.ones(2, 3, 12, 12)));
        assertTrue(wrong.getMessage().contains("conv("), wrong.getMessage());
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        float[] a = new Sequential(new Dense(4)).seed(3).build(5).parameters().get(0).toArray();
        float[] b = new Sequential(new Dense(4)).seed(3).build(5).parameters().get(0).toArray();
        float[] c = new Sequential(new Dense(4)).seed(4).build(5).parameters().get(0).toArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void denseStartsLikePyTorch() {
        Dense dense = new Dense(300);
        new Sequential(dense).build(100);
        float bound = (float) (1 / Math.sqrt(100));
        for (float w : dense.weight().toArray()) assertTrue(Math.abs(w) <= bound);
        assertEquals(bound * bound / 3, dense.weight().square().mean().item(), 3e-4, "variance of U(-b, b) is b^2/3");
    }

    @Test
    void cnnShapesAndSummary() {
        Sequential cnn = new Sequential(
                new Conv2D(32, 3, Activation.RELU), new MaxPool2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPool2D(2),
                new Flatten(), new Dense(128, Activation.RELU), new Dense(10)).build(1, 28, 28);
        assertArrayEquals(new int[]{10}, cnn.outputShape());
        assertEquals(320 + 18496 + 1600 * 128 + 128 + 1290, cnn.parameterCount());
        String summary = cnn.summary();
        assertTrue(summary.contains("[batch, 32, 26, 26]"), summary);
        assertTrue(summary.contains("[batch, 1600]"), summary);
        assertTrue(summary.contains("Total params: 225,034"), summary);
        Tensor out = cnn.forward(Tensor.rand(new SplittableRandom(1), 2, 1, 28, 28));
        assertArrayEquals(new int[]{2, 10}, out.shape());
    }

    @Test
    void wrongInputShapeNamesTheLayer() {
        Sequential model = new Sequential(new Dense(3)).build(4);
        ShapeException e = assertThrows(ShapeException.class, () -> model.forward(Tensor.ones(2, 5)));
        assertTrue(e.getMessage().contains("dense"), e.getMessage());
        ShapeException conv = assertThrows(ShapeException.class, () -> new Sequential(new Conv2D(4, 3)).build(10));
        assertTrue(conv.getMessage().contains("conv("), conv.getMessage());
    }

    @Test
    void dropoutOnlyInTraining() {
        Sequential model = new Sequential(new Dropout(0.5f)).build(1000);
        Tensor x = Tensor.ones(1, 1000);
        model.train(true);
        float[] dropped = model.forward(x).toArray();
        int zeros = 0;
        for (float v : dropped) if (v == 0f) zeros++; else assertEquals(2f, v);
        assertTrue(zeros > 400 && zeros < 600, "about half dropped: " + zeros);
        model.train(false);
        assertArrayEquals(x.toArray(), model.forward(x).toArray());
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInInference() {
        BatchNorm bn = new BatchNorm();
        Sequential model = new Sequential(bn).build(2);
        Tensor x = Tensor.of(new float[][]{{1, 10}, {3, 30}});
        model.train(true);
        float[] y = model.forward(x).toArray();
        // each column normalised to mean 0, variance 1 (biased): +-1 up to epsilon
        assertArrayEquals(new float[]{-1, -1, 1, 1}, y, 1e-3f);
        float[] runningMean = bn.namedBuffers().get("running_mean").toArray();
        assertArrayEquals(new float[]{0.2f, 2f}, runningMean, 1e-6f);
        float[] runningVar = bn.namedBuffers().get("running_var").toArray();
        // unbiased batch variance: 2 and 200
        assertArrayEquals(new float[]{0.9f + 0.1f * 2f, 0.9f + 0.1f * 200f}, runningVar, 1e-4f);
        model.train(false);
        float[] inference = model.forward(Tensor.of(new float[][]{{0.2f, 2f}})).toArray();
        assertArrayEquals(new float[]{0, 0}, inference, 1e-6f);
    }

    @Test
    void layerNormNormalisesEachSample() {
        Sequential model = new Sequential(new LayerNorm()).build(4);
        float[] y = model.forward(Tensor.of(new float[][]{{1, 2, 3, 4}})).toArray();
        double mean = 0;
        for (float v : y) mean += v / 4;
        assertEquals(0, mean, 1e-6);
        assertEquals(-1.3416f, y[0], 1e-3f);
    }

    @Test
    void embeddingLooksUpRows() {
        Embedding emb = new Embedding(5, 3);
        Sequential model = new Sequential(emb).build(2);
        Tensor out = model.forward(Tensor.of(new float[][]{{4, 0}}));
        assertArrayEquals(new int[]{1, 2, 3}, out.shape());
        Tensor table = emb.namedParameters().get("table");
        assertEquals(table.get(4, 1), out.get(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.of(new float[][]{{5, 0}})));
    }

    @Test
    void globalAveragePoolAndActivationLayers() {
        Sequential model = new Sequential(new GlobalAveragePool(), new ActivationLayer(Activation.RELU)).build(2, 2, 2);
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, -1, -2, -3, -4}, 1, 2, 2, 2);
        assertArrayEquals(new float[]{2.5f, 0f}, model.forward(x).toArray());
    }

    @Test
    void registryRecreatesEveryLayerType() {
        Layer[] layers = {new Dense(3, Activation.TANH), new Conv2D(2, 3, 2, 1, Activation.ELU), new MaxPool2D(2),
                new AvgPool2D(3, 1), new GlobalAveragePool(), new Flatten(), new Dropout(0.3f), new BatchNorm(),
                new LayerNorm(), new Embedding(7, 2), new ActivationLayer(Activation.GELU)};
        for (Layer layer : layers) {
            Layer again = Layers.create(layer.type(), dev.nabla.config.ConfigCodec.encode(layer.config()), java.util.Set.of(), "test");
            assertEquals(layer.describe(), again.describe());
            assertEquals(layer.getClass(), again.getClass());
        }
        assertThrows(IllegalArgumentException.class, () -> Layers.create("nonsense", java.util.Map.of(), java.util.Set.of(), "test"));
    }
}
