package dev.nabla.nn;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Padding masks: made by Embedding and Masking, passed on or dropped by layers, honoured by pooling over time. */
class MaskTest {

    private static Tensor ids(float[][] rows) {
        return Tensor.of(rows);
    }

    @Test
    void embeddingWithPaddingIndexMasksPaddingAndZeroesItsVector() {
        Embedding e = new Embedding(5, 3, 0);
        e.seed(1);
        Tensor out = e.forward(ids(new float[][]{{2, 4, 0, 0}, {1, 0, 3, 0}}));
        assertArrayEquals(new float[]{1, 1, 0, 0, 1, 0, 1, 0}, out.mask().toArray());
        for (int i = 0; i < 3; i++) {
            assertEquals(0f, out.get(0, 2, i));
            assertEquals(0f, e.namedParameters().get("table").get(0, i), "the padding vector starts at zero");
        }
        out.sum().backward();
        Tensor grad = e.namedParameters().get("table").grad();
        for (int i = 0; i < 3; i++) assertEquals(0f, grad.get(0, i), "padding never learns");
        assertEquals(1f, grad.get(4, 0));
    }

    @Test
    void embeddingWithoutPaddingIndexMakesNoMask() {
        Embedding e = new Embedding(5, 3);
        assertNull(e.forward(ids(new float[][]{{2, 0}})).mask());
    }

    @Test
    void paddingChangesNothingThroughDenseAndPooling() {
        for (TimePooling pool : List.of(new GlobalAveragePool1D(), new GlobalMaxPool1D())) {
            Sequential net = new Sequential(new Embedding(6, 4, 0), new Dense(3, Activation.TANH), new Dropout(0.5f),
                    new LayerNorm(), pool);
            net.seed(7);
            net.train(false);
            Tensor short_ = net.forward(ids(new float[][]{{3, 5, 1}}));
            Tensor padded = net.forward(ids(new float[][]{{3, 5, 1, 0, 0, 0}}));
            assertArrayEquals(short_.toArray(), padded.toArray(), 1e-6f, pool.type());

            Tensor table = net.namedParameters().entrySet().stream().filter(p -> p.getKey().endsWith("table"))
                    .findFirst().orElseThrow().getValue();
            net.zeroGrad();
            net.forward(ids(new float[][]{{3, 5, 1}})).sum().backward();
            float[] gradShort = table.grad().toArray();
            net.zeroGrad();
            net.forward(ids(new float[][]{{3, 5, 1, 0, 0, 0}})).sum().backward();
            assertArrayEquals(gradShort, table.grad().toArray(), 1e-6f, pool.type() + " gradients");
        }
    }

    @Test
    void maskedPoolingOverTimeSkipsPaddedSteps() {
        Tensor x = Tensor.of(new float[]{1, -1, 3, 5, 9, 9}, 1, 3, 2).withMask(Tensor.of(new float[]{1, 1, 0}, 1, 3));
        assertArrayEquals(new float[]{2, 2}, new GlobalAveragePool1D().forward(x).toArray(), 1e-6f);
        assertArrayEquals(new float[]{3, 5}, new GlobalMaxPool1D().forward(x).toArray(), 1e-6f);
        Tensor none = Tensor.of(new float[]{1, -1, 3, 5}, 1, 2, 2).withMask(Tensor.zeros(1, 2));
        assertArrayEquals(new float[]{0, 0}, new GlobalAveragePool1D().forward(none).toArray(), 0f);
        assertArrayEquals(new float[]{0, 0}, new GlobalMaxPool1D().forward(none).toArray(), 0f);
        assertNull(new GlobalAveragePool1D().forward(x).mask(), "pooling over time consumes the mask");
    }

    @Test
    void maskingMarksStepsEqualToTheMaskValue() {
        Tensor x = Tensor.of(new float[]{1, 2, -1, -1, 0, -1}, 1, 3, 2);
        Tensor out = new Masking(new Masking.Config(-1f)).forward(x);
        assertArrayEquals(new float[]{1, 0, 1}, out.mask().toArray());
        assertArrayEquals(new float[]{1, 2, 0, 0, 0, -1}, out.toArray(), 0f);
    }

    @Test
    void layersThatDoNotKeepStepsDropTheMask() {
        Tensor x = Tensor.ones(2, 3, 4).withMask(Tensor.ones(2, 3));
        assertNotNull(new Dense(2).forward(x).mask());
        assertNull(new Flatten().forward(x).mask());
        assertNull(new Conv1D(new Conv1D.Config(2, 2, Activation.LINEAR, Padding.SAME, 1, 1, 1, true,
                Conv1D.DataFormat.CHANNELS_LAST)).forward(x).mask());
    }

    @Test
    void mergesCombineMasksAndConcatOverTimeJoinsThem() {
        Tensor a = Tensor.ones(1, 3, 2).withMask(Tensor.of(new float[]{1, 1, 0}, 1, 3));
        Tensor b = Tensor.ones(1, 3, 2).withMask(Tensor.of(new float[]{1, 0, 1}, 1, 3));
        assertArrayEquals(new float[]{1, 0, 0}, new Add().forward(List.of(a, b)).mask().toArray());
        Tensor c = Tensor.ones(1, 2, 2);
        Tensor joined = new Concat(new Concat.Config(0)).forward(List.of(a, c));
        assertArrayEquals(new float[]{1, 1, 0, 1, 1}, joined.mask().toArray());
        assertArrayEquals(new float[]{1, 0, 0},
                new Concat(new Concat.Config(-1)).forward(List.of(a, b)).mask().toArray());
    }

    @Test
    void aMaskMustFitTheTensor() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.ones(2, 3, 4).withMask(Tensor.ones(2, 4)));
        assertTrue(e.getMessage().contains("[2, 4]") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void gradientsFlowThroughAMaskedView() {
        Tensor x = Tensor.ones(1, 2, 2).requiresGrad(true);
        x.withMask(Tensor.ones(1, 2)).mul(3f).sum().backward();
        assertArrayEquals(new float[]{3, 3, 3, 3}, x.grad().toArray());
    }

    @Test
    void channelsLastConv1DIsTheTransposedChannelsFirstOne() {
        Conv1D first = new Conv1D(new Conv1D.Config(3, 2, Activation.LINEAR, Padding.VALID, 1, 1, 1, true,
                Conv1D.DataFormat.CHANNELS_FIRST));
        Conv1D last = new Conv1D(new Conv1D.Config(3, 2, Activation.LINEAR, Padding.VALID, 1, 1, 1, true,
                Conv1D.DataFormat.CHANNELS_LAST));
        first.seed(3);
        last.seed(3);
        Tensor seq = Tensor.randn(new java.util.SplittableRandom(1), 2, 5, 4);
        Tensor a = first.forward(seq.transpose(1, 2).contiguous()).transpose(1, 2).contiguous();
        Tensor b = last.forward(seq);
        assertArrayEquals(new int[]{2, 4, 3}, b.shape());
        assertArrayEquals(a.toArray(), b.toArray(), 1e-6f);
    }

    @Test
    void aGraphTakesSequencesOfAnotherLength() {
        Node ids = Graph.input("ids", 4);
        Node out = new Dense(2).on(new GlobalAveragePool1D().on(new Embedding(7, 3, 0).on(ids)));
        Graph g = Graph.of(ids, out);
        g.seed(5);
        Tensor a = g.forward(ids(new float[][]{{1, 2, 3, 0}}));
        Tensor b = g.forward(ids(new float[][]{{1, 2, 3, 0, 0, 0, 0}}));
        Tensor c = g.forward(ids(new float[][]{{1, 2, 3}}));
        assertArrayEquals(a.toArray(), b.toArray(), 1e-6f);
        assertArrayEquals(a.toArray(), c.toArray(), 1e-6f);
        ShapeException e = assertThrows(ShapeException.class, () -> g.forward(Tensor.ones(1, 4, 2)));
        assertTrue(e.getMessage().contains("'ids'"), e.getMessage());
    }
}
