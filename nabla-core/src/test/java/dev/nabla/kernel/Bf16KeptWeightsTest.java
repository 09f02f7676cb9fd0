package dev.nabla.kernel;

import dev.nabla.autograd.GradMode;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bf16 copies of weights that products keep between calls ({@link KeptOperand}): a prediction after a training
 * step, a weight load or a marked direct write gives the new weights' answer. The reference is the bf16 arithmetic
 * done by hand: inputs and weights rounded to bf16 ({@link OneDnnMatmul#bf16}, checked against PyTorch's rounding in
 * {@link Bf16PrecisionTest}), products summed in double. oneDNN sums in float32, within 1e-5 of that relative to the
 * largest output; a stale copy of the weights (the step moves them by ~1e-2 relative) is far outside it.
 */
class Bf16KeptWeightsTest {

    private static final double SAME_ARITHMETIC = 1e-5;

    private static float rounded(float v) {
        return Float.intBitsToFloat(OneDnnMatmul.bf16(v) << 16);
    }

    /** relu(x W + b) in bf16 products by hand, for a [n, in] x and a Dense layer's [in, units] weight. */
    private static float[] byHand(float[] x, int n, Dense layer) {
        float[] w = layer.weight().toArray();
        float[] b = layer.bias().toArray();
        int in = layer.weight().shape(0);
        int units = layer.units();
        float[] out = new float[n * units];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < units; j++) {
                double s = 0;
                for (int p = 0; p < in; p++) s += (double) rounded(x[i * in + p]) * rounded(w[p * units + j]);
                out[i * units + j] = Math.max(0f, (float) s + b[j]);
            }
        }
        return out;
    }

    private static float[] predictBf16(Module model, Tensor x) {
        try (var bf16 = Precision.BF16.use(); var noGrad = GradMode.noGrad()) {
            return model.forward(x).toArray();
        }
    }

    private static double relativeError(float[] a, float[] b) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }

    @Test
    void predictionsFollowTheWeightsWhenTrainingAndPredictingInterleave() {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here: " + Precision.bf16Unavailable());
        Dense layer = new Dense(48, Activation.RELU);
        Module model = new Sequential(layer).seed(11);
        int n = 64;
        int in = 200;
        Tensor x = Tensor.uniform(new SplittableRandom(12), -1, 1, n, in);
        float[] first = predictBf16(model, x);
        float[] expected = byHand(x.toArray(), n, layer);
        assertTrue(relativeError(first, expected) < SAME_ARITHMETIC, "first: " + relativeError(first, expected));

        long hitsBefore = KeptOperand.hits();
        assertArrayEquals(first, predictBf16(model, x), "same weights, same answer");
        assertTrue(KeptOperand.hits() > hitsBefore, "the second prediction should reuse the kept bf16 weight");

        // one training step (in float32, as an application might train between predictions on another thread)
        Sgd sgd = new Sgd(model.parameters(), 0.5f);
        model.forward(x).square().mean().backward();
        sgd.step();
        float[] afterStep = predictBf16(model, x);
        float[] expectedAfter = byHand(x.toArray(), n, layer);
        assertTrue(relativeError(expectedAfter, expected) > 100 * SAME_ARITHMETIC, "the step should move the outputs");
        assertTrue(relativeError(afterStep, expectedAfter) < SAME_ARITHMETIC,
                "after a step: " + relativeError(afterStep, expectedAfter) + " (stale: "
                        + relativeError(afterStep, expected) + ")");

        // a training step in bf16: its forward and backward products read the new weights too
        model.zeroGrad();
        try (var bf16 = Precision.BF16.use()) {
            model.forward(x).square().mean().backward();
        }
        sgd.step();
        float[] afterBf16Step = predictBf16(model, x);
        float[] expectedAfterBf16 = byHand(x.toArray(), n, layer);
        assertTrue(relativeError(afterBf16Step, expectedAfterBf16) < SAME_ARITHMETIC,
                "after a bf16 step: " + relativeError(afterBf16Step, expectedAfterBf16));

        // a direct write to a weight's array, marked as the contract says
        float[] w = layer.weight().data();
        for (int i = 0; i < w.length; i += 3) w[i] = -w[i];
        ParameterArrays.modified();
        float[] afterWrite = predictBf16(model, x);
        float[] expectedAfterWrite = byHand(x.toArray(), n, layer);
        assertTrue(relativeError(afterWrite, expectedAfterWrite) < SAME_ARITHMETIC,
                "after a marked write: " + relativeError(afterWrite, expectedAfterWrite));
    }

    @Test
    void withoutBf16AKeptCopyIsNotUsedAndResultsAreFloat32s() {
        Dense layer = new Dense(24, Activation.RELU);
        Module model = new Sequential(layer).seed(13);
        Tensor x = Tensor.uniform(new SplittableRandom(14), -1, 1, 16, 100);
        float[] fp32;
        try (var noGrad = GradMode.noGrad()) {
            fp32 = model.forward(x).toArray();
        }
        if (Precision.bf16Unavailable() == null) {
            float[] bf16 = predictBf16(model, x);  // leaves a kept bf16 copy of the weight behind
            assertTrue(relativeError(bf16, fp32) > 1e-6, "bf16 ran");
        }
        String before = System.getProperty("nabla.bf16");
        System.setProperty("nabla.bf16", "off");
        try {
            assertArrayEquals(fp32, predictBf16(model, x), "float32's result exactly");
        } finally {
            if (before == null) System.clearProperty("nabla.bf16"); else System.setProperty("nabla.bf16", before);
        }
    }

    @Test
    void arraysThatAreNotParametersAreConvertedOnEveryCall() {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here: " + Precision.bf16Unavailable());
        // a reused buffer (as an activation's) changes without any mark: its product must follow it
        int m = 8;
        int n = 16;
        int k = 32;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        java.util.Arrays.fill(a, 1f);
        float[] c = new float[m * n];
        for (float value : new float[]{1f, 2f, 3f}) {
            java.util.Arrays.fill(b, value);
            try (var bf16 = Precision.BF16.use()) {
                Kernels.gemm().sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            }
            for (float v : c) assertEquals(k * value, v, 0f);
        }
        assertFalse(ParameterArrays.isRegistered(b));
        Dense layer = new Dense(3);
        layer.build(java.util.List.of(new int[]{4}));
        assertTrue(ParameterArrays.isRegistered(layer.weight().data()));
    }
}
