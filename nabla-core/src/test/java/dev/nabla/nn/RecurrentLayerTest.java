package dev.nabla.nn;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks (padded steps change nothing), tokens, shapes and initial states of lstm, gru and simplernn. */
class RecurrentLayerTest {

    private static final int[] LENGTHS = {4, 2, 3};
    private static final int STEPS = 4;
    private static final int PADDED = 7;
    private static final int FEATURES = 2;

    /**
     * The same sequences with three more padded steps (holding other values) give the same outputs and the same
     * gradients for the weights and the real steps; padded steps get output 0 and gradient 0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm:3", "lstm:3:bi:true", "lstm:2:bi", "lstm:2:reverse:true", "gru:3:bi", "gru:2:true",
            "simplernn:3:bi:true", "simplernn:3:relu", "lstm:2:bi:num_layers=2"})
    void paddingChangesNothing(String token) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] base = random(rng, LENGTHS.length * STEPS * FEATURES);
        float[] longer = random(rng, LENGTHS.length * PADDED * FEATURES);
        for (int i = 0; i < LENGTHS.length; i++) {
            System.arraycopy(base, i * STEPS * FEATURES, longer, i * PADDED * FEATURES, STEPS * FEATURES);
        }
        // the base's own padding (samples shorter than STEPS) gets other values too: only the mask may matter
        for (int i = 0; i < LENGTHS.length; i++) {
            for (int t = LENGTHS[i]; t < STEPS; t++) longer[(i * PADDED + t) * FEATURES] += 5f;
        }
        Run a = run(token, base, STEPS);
        Run b = run(token, longer, PADDED);
        boolean sequences = a.out.rank() == 3;
        int width = a.out.shape(-1);
        float[] out = b.out.toArray();
        float[] expected = sequences ? widen(a.out.toArray(), width, STEPS, PADDED) : a.out.toArray();
        assertArrayEquals(expected, out, 1e-6f, token + ": output");
        for (int i = 0; i < LENGTHS.length && sequences; i++) {
            for (int t = LENGTHS[i]; t < PADDED; t++) {
                for (int j = 0; j < width; j++) assertEquals(0f, out[(i * PADDED + t) * width + j], token + ": padded output");
            }
        }
        float[] gradA = realSteps(a.x.grad().toArray(), STEPS);
        float[] gradB = realSteps(b.x.grad().toArray(), PADDED);
        assertArrayEquals(gradA, gradB, 1e-6f, token + ": input gradient at real steps");
        float[] all = b.x.grad().toArray();
        for (int i = 0; i < LENGTHS.length; i++) {
            for (int t = LENGTHS[i]; t < PADDED; t++) assertEquals(0f, all[(i * PADDED + t) * FEATURES], token + ": padded gradient");
        }
        for (var p : a.layer.namedParameters().entrySet()) {
            assertArrayEquals(p.getValue().grad().toArray(), b.layer.namedParameters().get(p.getKey()).grad().toArray(),
                    1e-5f, token + ": gradient of " + p.getKey());
        }
    }

    /** A masked sample gives what the sample cut to its real steps gives on its own, without a mask. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm:3:bi", "gru:3:bi:true", "simplernn:2:reverse"})
    void maskedIsTruncated(String token) {
        float[] x = random(new SplittableRandom(3), LENGTHS.length * STEPS * FEATURES);
        Tensor masked = run(token, x, STEPS).out;
        for (int i = 0; i < LENGTHS.length; i++) {
            int len = LENGTHS[i];
            float[] own = new float[len * FEATURES];
            System.arraycopy(x, i * STEPS * FEATURES, own, 0, own.length);
            Recurrent layer = layer(token);
            Tensor alone = layer.forward(Tensor.wrap(own, 1, len, FEATURES));
            Tensor row = masked.narrow(0, i, 1);
            if (masked.rank() == 3) row = row.narrow(1, 0, len);
            assertArrayEquals(alone.toArray(), row.toArray(), 1e-6f, token + ": sample " + i);
        }
    }

    /** With return_sequences the mask passes on to the next layer; the last state has none. */
    @Test
    void maskPassesOnWithSequencesOnly() {
        Tensor mask = GoldenRecurrentTest.mask(LENGTHS, STEPS);
        Tensor x = Tensor.wrap(random(new SplittableRandom(2), LENGTHS.length * STEPS * FEATURES), LENGTHS.length, STEPS, FEATURES)
                .withMask(mask);
        Tensor seq = layer("gru:3:true").forward(x);
        assertArrayEquals(mask.toArray(), seq.mask().toArray(), 0f);
        assertEquals(null, layer("gru:3").forward(x).mask());
        // two stacked layers, the second reading the first's mask, are num_layers=2 on the same weights
        Sequential stacked = new Sequential(layer("lstm:2:true"), layer("lstm:2"));
        Recurrent twoLayers = layer("lstm:2:num_layers=2");
        Tensor a = stacked.forward(x);
        twoLayers.ensureBuilt(STEPS, FEATURES);
        for (var e : twoLayers.namedParameters().entrySet()) {
            String name = e.getKey();
            String source = name.endsWith("_l1") ? "1." + name.replace("_l1", "_l0") : "0." + name;
            System.arraycopy(stacked.namedParameters().get(source).toArray(), 0, e.getValue().data(), 0, e.getValue().size());
        }
        assertArrayEquals(a.toArray(), twoLayers.forward(x).toArray(), 1e-6f);
    }

    /** The weights fit sequences of any length: a later batch may be longer or shorter than the first. */
    @Test
    void sequencesOfAnotherLength() {
        Layer lstm = layer("lstm:3:true");
        assertArrayEquals(new int[]{2, 5, 3}, lstm.forward(Tensor.zeros(2, 5, 2)).shape());
        assertArrayEquals(new int[]{4, 9, 3}, lstm.forward(Tensor.zeros(4, 9, 2)).shape());
        assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(2, 5, 3)));
    }

    /** The comma spec: token ids, an embedding, a bidirectional LSTM over it, max over time. */
    @Test
    void embeddingLstmPoolSpec() {
        Sequential net = new Sequential();
        for (String token : "embedding:50:8:padding_index=0,lstm:6:bi:true,globalmaxpool1d,dense:2".split(",")) {
            net.add(Layers.fromToken(token, "test"));
        }
        Tensor ids = Tensor.of(new float[]{3, 4, 5, 0, 0, 7, 8, 9, 10, 11}, 2, 5);
        Tensor out = net.forward(ids);
        assertArrayEquals(new int[]{2, 2}, out.shape());
        assertEquals(Direction.BIDIRECTIONAL, ((LSTM) Layers.fromToken("lstm:64:bi", "test")).direction());
        // the padded ids change nothing: the first sample alone, cut to its three real ids
        Tensor alone = net.forward(Tensor.of(new float[]{3, 4, 5}, 1, 3));
        assertArrayEquals(alone.toArray(), out.narrow(0, 0, 1).toArray(), 1e-6f);
    }

    @Test
    void tokensParse() {
        LSTM bi = (LSTM) Layers.fromToken("lstm:64:bi", "test");
        assertEquals(Direction.BIDIRECTIONAL, bi.direction());
        assertEquals(64, bi.units());
        assertTrue(!bi.returnSequences());
        assertArrayEquals(new int[]{128}, bi.outputShape(new int[]{10, 8}));
        GRU seq = (GRU) Layers.fromToken("gru:16:true", "test");
        assertArrayEquals(new int[]{10, 16}, seq.outputShape(new int[]{10, 8}));
        SimpleRNN rnn = (SimpleRNN) Layers.fromToken("simplernn:8:relu:reverse", "test");
        assertEquals(Direction.REVERSE, rnn.direction());
        assertEquals("lstm(units=4, direction=bidirectional, return_sequences=true, num_layers=2)",
                Layers.fromToken("lstm:4:bidirectional:true:num_layers=2", "test").describe());
        assertThrows(IllegalArgumentException.class, () -> Layers.fromToken("simplernn:8:gelu", "test"));
        assertThrows(IllegalArgumentException.class, () -> Layers.fromToken("lstm:8:sideways", "test"));
    }

    @Test
    void wrongRankNamesLayerAndShapes() {
        Layer lstm = Layers.fromToken("lstm:4", "test");
        ShapeException e = assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(2, 1, 28, 28)));
        assertEquals("lstm(units=4, direction=forward, return_sequences=false, num_layers=1): needs [batch, time, "
                + "features] input, got [batch, 1, 28, 28]", e.getMessage());
        Layer gru = Layers.fromToken("gru:4", "test");
        ShapeException state = assertThrows(ShapeException.class,
                () -> gru.forward(List.of(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 3))));
        assertTrue(state.getMessage().startsWith("gru(units=4"), state.getMessage());
        assertTrue(state.getMessage().endsWith("initial state 1 must be [batch, 4], got [batch, 3]"), state.getMessage());
    }

    /** Initial states as graph inputs: zeros give what no states give, and other states change the output. */
    @Test
    void initialStatesInAGraph() {
        LSTM lstm = new LSTM(3);
        Node x = Graph.input("x", 4, 2);
        Node h0 = Graph.input("h0", 3);
        Node c0 = Graph.input("c0", 3);
        Graph graph = new Graph(List.of(x, h0, c0), List.of(lstm.on(x, h0, c0)));
        graph.seed(5);
        Tensor input = Tensor.wrap(random(new SplittableRandom(1), 2 * 4 * 2), 2, 4, 2);
        Tensor zeros = graph.forward(List.of(input, Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        LSTM alone = new LSTM(3);
        alone.ensureBuilt(4, 2);
        for (var p : lstm.namedParameters().entrySet()) {
            System.arraycopy(p.getValue().toArray(), 0, alone.namedParameters().get(p.getKey()).data(), 0, p.getValue().size());
        }
        assertArrayEquals(alone.forward(input).toArray(), zeros.toArray(), 0f);
        Tensor other = graph.forward(List.of(input, Tensor.full(0.5f, 2, 3), Tensor.zeros(2, 3)));
        assertTrue(Math.abs(other.toArray()[0] - zeros.toArray()[0]) > 1e-4);
    }

    private record Run(Recurrent layer, Tensor x, Tensor out) {
    }

    private static Recurrent layer(String token) {
        Recurrent layer = (Recurrent) Layers.fromToken(token, "test");
        layer.seed(11);
        return layer;
    }

    private static Run run(String token, float[] values, int steps) {
        Recurrent layer = layer(token);
        Tensor x = Tensor.wrap(values.clone(), LENGTHS.length, steps, FEATURES).requiresGrad(true);
        Tensor out = layer.forward(x.withMask(GoldenRecurrentTest.mask(LENGTHS, steps)));
        // the same upstream gradient at the real steps; other values at padded ones (the output there is 0 regardless)
        float[] g = random(new SplittableRandom(9), out.size());
        if (out.rank() == 3) g = widen(random(new SplittableRandom(9), LENGTHS.length * STEPS * out.shape(-1)), out.shape(-1), STEPS, steps);
        out.backward(Tensor.wrap(g, out.shape()));
        return new Run(layer, x, out);
    }

    /** {@code [N, from, width]} values placed in {@code [N, to, width]}, the rest filled with 3. */
    private static float[] widen(float[] v, int width, int from, int to) {
        float[] out = new float[LENGTHS.length * to * width];
        java.util.Arrays.fill(out, 3f);
        for (int i = 0; i < LENGTHS.length; i++) System.arraycopy(v, i * from * width, out, i * to * width, from * width);
        if (from == to) return v;
        // outputs are 0 beyond each length on both sides: compare those as 0
        for (int i = 0; i < LENGTHS.length; i++) {
            for (int t = LENGTHS[i]; t < to; t++) java.util.Arrays.fill(out, (i * to + t) * width, (i * to + t + 1) * width, 0f);
        }
        return out;
    }

    private static float[] realSteps(float[] grad, int steps) {
        int total = 0;
        for (int len : LENGTHS) total += len * FEATURES;
        float[] out = new float[total];
        int k = 0;
        for (int i = 0; i < LENGTHS.length; i++) {
            System.arraycopy(grad, i * steps * FEATURES, out, k, LENGTHS[i] * FEATURES);
            k += LENGTHS[i] * FEATURES;
        }
        return out;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }
}
