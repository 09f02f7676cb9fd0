package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Padding changes nothing for the real positions: a batch of sequences padded with junk and masked gives the real
 * positions the outputs and gradients of the unpadded sequences; and a query that may see no key gives no NaN.
 */
class AttentionMaskTest {

    private static final int E = 4;
    private static final int REAL = 3;
    private static final int PADDED = 5;

    @Test
    void paddedKeysChangeNothingInMultiHeadAttention() {
        check(() -> new MultiHeadAttention(2), (layer, x) -> ((MultiHeadAttention) layer).attend(x.get(0), x.get(0), x.get(0), x.get(1)));
    }

    @Test
    void paddedKeysChangeNothingInCausalAttention() {
        check(() -> new MultiHeadAttention(new MultiHeadAttention.Config(2, 3, 0f, true, true)),
                (layer, x) -> ((MultiHeadAttention) layer).attend(x.get(0), x.get(0), x.get(0), x.get(1)));
    }

    @Test
    void paddingChangesNothingInTransformerEncoders() {
        for (boolean normFirst : new boolean[]{false, true}) {
            check(() -> new TransformerEncoder(new TransformerEncoder.Config(2, 6, 0f, Activation.GELU, normFirst, 1e-5f)),
                    (layer, x) -> ((TransformerEncoder) layer).encode(x.get(0), x.get(1)));
        }
    }

    /** One sequence of REAL steps, alone and padded to PADDED with junk: outputs and gradients on the real steps agree. */
    private static void check(Supplier<Layer> make, BiFunction<Layer, List<Tensor>, Tensor> run) {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor real = Tensor.uniform(rng, -1, 1, 1, REAL, E);
        Tensor gout = Tensor.uniform(rng, -1, 1, 1, REAL, E);
        float[] padded = new float[PADDED * E];
        System.arraycopy(real.toArray(), 0, padded, 0, REAL * E);
        for (int i = REAL * E; i < padded.length; i++) padded[i] = 50f * (float) (rng.nextDouble() - 0.5);
        float[] goutPadded = new float[PADDED * E];
        System.arraycopy(gout.toArray(), 0, goutPadded, 0, REAL * E);
        float[] mask = new float[PADDED];
        for (int t = 0; t < REAL; t++) mask[t] = 1f;

        Layer a = make.get();
        a.seed(3);
        a.ensureBuilt(REAL, E);
        Tensor xa = real.requiresGrad(true);
        Tensor outA = run.apply(a, List.of(xa, Tensor.ones(1, REAL)));
        outA.backward(gout);

        Layer b = make.get();
        b.seed(3);
        b.ensureBuilt(PADDED, E);
        Tensor xb = Tensor.of(padded, 1, PADDED, E).requiresGrad(true);
        Tensor outB = run.apply(b, List.of(xb, Tensor.of(mask, 1, PADDED)));
        outB.backward(Tensor.of(goutPadded, 1, PADDED, E));

        String what = a.describe();
        assertClose(what + " output", outA.toArray(), outB.narrow(1, 0, REAL).toArray());
        assertClose(what + " input gradient", xa.grad().toArray(), xb.grad().narrow(1, 0, REAL).toArray());
        for (float g : xb.grad().narrow(1, REAL, PADDED - REAL).toArray()) assertEquals(0f, g, what + ": gradient reached a padded step");
        Map<String, Tensor> pb = b.namedParameters();
        for (var p : a.namedParameters().entrySet()) {
            assertClose(what + " gradient of " + p.getKey(), p.getValue().grad().toArray(), pb.get(p.getKey()).grad().toArray());
        }
    }

    @Test
    void aQueryThatSeesNoKeyGetsZeroNotNaN() {
        MultiHeadAttention mha = new MultiHeadAttention(new MultiHeadAttention.Config(2, 0, 0f, false, false));
        mha.ensureBuilt(3, E);
        Tensor x = Tensor.uniform(new SplittableRandom(1), -1, 1, 2, 3, E).requiresGrad(true);
        Tensor mask = Tensor.of(new float[]{1, 1, 0, 0, 0, 0}, 2, 3);
        Tensor out = mha.attend(x, x, x, mask);
        out.sum().backward();
        float[] o = out.toArray();
        for (int i = 0; i < o.length; i++) {
            assertTrue(Float.isFinite(o[i]), "output " + i + " is " + o[i]);
            if (i >= 3 * E) assertEquals(0f, o[i], "a fully masked sample without biases must give 0");
        }
        for (float g : x.grad().toArray()) assertTrue(Float.isFinite(g));
        for (Tensor p : mha.parameters()) for (float g : p.grad().toArray()) assertTrue(Float.isFinite(g));
    }

    @Test
    void theMaskApiHidesTheKeyInputsPaddingAndPassesTheQueryMaskOn() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 4, E);
        Tensor mask = Tensor.of(new float[]{1, 1, 1, 0, 1, 1, 0, 0}, 2, 4);
        MultiHeadAttention mha = new MultiHeadAttention(2);
        mha.ensureBuilt(4, E);
        Tensor out = mha.forward(x.withMask(mask));
        assertArrayEqualsExactly(mha.attend(x, x, x, mask).toArray(), out.toArray());
        assertArrayEqualsExactly(mask.toArray(), out.mask().toArray());

        // cross-attention: the key/value input's mask hides keys, the query's (here none) is the output's
        MultiHeadAttention cross = new MultiHeadAttention(2);
        Tensor query = Tensor.uniform(rng, -1, 1, 2, 3, E);
        Tensor crossOut = cross.forward(List.of(query, x.withMask(mask)));
        assertArrayEqualsExactly(cross.attend(query, x, x, mask).toArray(), crossOut.toArray());
        assertEquals(null, crossOut.mask());
        Tensor queryMask = Tensor.of(new float[]{1, 1, 0, 1, 0, 0}, 2, 3);
        assertArrayEqualsExactly(queryMask.toArray(), cross.forward(List.of(query.withMask(queryMask), x)).mask().toArray());

        TransformerEncoder encoder = new TransformerEncoder(2, 6);
        encoder.ensureBuilt(4, E);
        Tensor encoded = encoder.forward(x.withMask(mask));
        assertArrayEqualsExactly(encoder.encode(x, mask).toArray(), encoded.toArray());
        assertArrayEqualsExactly(mask.toArray(), encoded.mask().toArray());
        assertArrayEqualsExactly(mask.toArray(), new PositionEmbedding(4).forward(x.withMask(mask)).mask().toArray());
        assertArrayEqualsExactly(mask.toArray(), new SinusoidalPosition().forward(x.withMask(mask)).mask().toArray());
    }

    @Test
    void paddedTokensChangeNoPredictionOfAnEmbeddingTransformerModel() {
        // the same weights (same seed, same shapes) built for 3 and for 6 steps
        Sequential short3 = textModel(3);
        Sequential long6 = textModel(6);
        float[] alone = short3.forward(Tensor.of(new float[]{3, 5, 2, 7, 1, 8}, 2, 3)).toArray();
        float[] padded = long6.forward(Tensor.of(new float[]{3, 5, 2, 0, 0, 0, 7, 1, 8, 0, 0, 0}, 2, 6)).toArray();
        assertClose("predictions with and without padding", alone, padded);
        float[] filled = long6.forward(Tensor.of(new float[]{3, 5, 2, 4, 0, 0, 7, 1, 8, 0, 0, 0}, 2, 6)).toArray();
        boolean differs = false;
        for (int i = 0; i < 3; i++) differs |= Math.abs(filled[i] - padded[i]) > 1e-4;
        assertTrue(differs, "a real token where padding was must change the prediction");
    }

    private static Sequential textModel(int steps) {
        Sequential net = new Sequential(Layers.fromToken("embedding:9:4:padding_index=0", "test"),
                new SinusoidalPosition(), new PositionEmbedding(6),
                new TransformerEncoder(new TransformerEncoder.Config(2, 8, 0f, Activation.GELU, true, 1e-5f)),
                new TransformerEncoder(2, 8), Layers.fromToken("globalavgpool1d", "test"), new Dense(3));
        net.seed(4);
        net.build(steps);
        net.train(false);
        return net;
    }

    private static void assertArrayEqualsExactly(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 0f, "[" + i + "]");
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }
}
