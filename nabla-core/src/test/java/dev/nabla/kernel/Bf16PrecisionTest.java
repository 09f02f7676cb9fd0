package dev.nabla.kernel;

import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Precision#BF16} against float32. Tolerance: bf16 keeps 8 significant bits, so one rounded operand is off by at
 * most 2^-9 (0.2%) relative; a dot product of such terms in float32 accumulation is within about 1e-2 of float32's
 * result relative to the largest |value| (the bound asserted; measured 2.5e-3 to 2.8e-3 on 256-784-wide products). The
 * lower bound (above 1e-5) checks that bf16 really ran: float32 alone agrees to about 1e-6.
 */
class Bf16PrecisionTest {

    private static final double BF16_TOLERANCE = 1e-2;

    private static void assumeBf16() {
        assumeTrue(Precision.bf16Unavailable() == null, "bf16 not available here: " + Precision.bf16Unavailable());
    }

    /** max |a - b| / max |b|. */
    private static double relativeError(float[] a, float[] b) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    @Test
    void bf16MatmulIsWithinBf16ToleranceOfDoublePrecisionForEveryLayout() {
        assumeBf16();
        SplittableRandom rng = new SplittableRandom(3);
        int m = 37;
        int n = 29;
        int k = 300;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                for (float beta : new float[]{0f, 1f}) {
                    int lda = (ta ? m : k) + 3;
                    int ldb = (tb ? k : n) + 2;
                    int ldc = n + 5;
                    float[] a = random(rng, (ta ? k : m) * lda);
                    float[] b = random(rng, (tb ? n : k) * ldb);
                    float[] c0 = random(rng, m * ldc);
                    float[] c = c0.clone();
                    try (var bf16 = Precision.BF16.use()) {
                        assertEquals(Precision.BF16, Precision.current());
                        Kernels.gemm().sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
                    }
                    float[] got = new float[m * n];
                    float[] want = new float[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = beta * c0[i * ldc + j];
                            for (int p = 0; p < k; p++) {
                                s += (double) a[ta ? p * lda + i : i * lda + p] * b[tb ? j * ldb + p : p * ldb + j];
                            }
                            want[i * n + j] = (float) s;
                            got[i * n + j] = c[i * ldc + j];
                        }
                        // the gap between rows of C is left alone
                        for (int j = n; j < ldc && i < m - 1; j++) assertEquals(c0[i * ldc + j], c[i * ldc + j]);
                    }
                    double err = relativeError(got, want);
                    String what = "transA=" + ta + " transB=" + tb + " beta=" + beta + ": relative error " + err;
                    assertTrue(err < BF16_TOLERANCE, what);
                    assertTrue(err > 1e-5, what + " (as small as float32's: bf16 did not run)");
                }
            }
        }
    }

    @Test
    void bothWaysOfRoundingToBf16GiveBf16Products() {
        assumeBf16();
        SplittableRandom rng = new SplittableRandom(4);
        int m = 50;
        int n = 40;
        int k = 200;
        float[] a = random(rng, k * m);
        float[] b = random(rng, k * n);
        double[] want = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) want[i * n + j] += (double) a[p * m + i] * b[p * n + j];
            }
        }
        float[] wantF = new float[m * n];
        for (int i = 0; i < wantF.length; i++) wantF[i] = (float) want[i];
        String before = System.getProperty("nabla.bf16.round");
        try {
            for (String mode : new String[]{"java", "onednn"}) {
                System.setProperty("nabla.bf16.round", mode);
                float[] c = new float[m * n];
                synchronized (OneDnn.LOCK) {
                    new OneDnnMatmul().multiply(true, false, m, n, k, a, 0, m, b, 0, n, 0f, c, 0, n);
                }
                double err = relativeError(c, wantF);
                assertTrue(err < BF16_TOLERANCE && err > 1e-5, mode + ": relative error " + err);
            }
        } finally {
            if (before == null) System.clearProperty("nabla.bf16.round"); else System.setProperty("nabla.bf16.round", before);
        }
        // rounding to nearest, ties to even, as PyTorch's float -> bfloat16
        assertEquals((short) 0x3f80, OneDnnMatmul.bf16(1f));
        assertEquals((short) 0x3f80, OneDnnMatmul.bf16(Float.intBitsToFloat(0x3f808000)), "a tie goes to even");
        assertEquals((short) 0x3f82, OneDnnMatmul.bf16(Float.intBitsToFloat(0x3f818000)), "a tie goes to even");
        assertEquals((short) 0x3f81, OneDnnMatmul.bf16(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(OneDnnMatmul.bf16(Float.intBitsToFloat(0x7fffffff)) << 16)));
        assertEquals((short) 0x7f80, OneDnnMatmul.bf16(Float.POSITIVE_INFINITY));
    }

    private record Pass(float[] output, List<float[]> grads) {
    }

    /** Output and parameter gradients of {@code model} on {@code x} (loss: sum of squares) in {@code precision}. */
    private static Pass pass(Module model, Tensor x, Precision precision) {
        model.zeroGrad();
        try (var scope = precision.use()) {
            Tensor out = model.forward(x);
            out.square().sum().backward();
            List<float[]> grads = new ArrayList<>();
            for (Tensor p : model.parameters()) grads.add(p.grad().toArray());
            return new Pass(out.toArray(), grads);
        }
    }

    private static void assertClose(Pass bf16, Pass fp32) {
        double out = relativeError(bf16.output, fp32.output);
        assertTrue(out < BF16_TOLERANCE && out > 1e-6, "output relative error " + out);
        for (int i = 0; i < fp32.grads.size(); i++) {
            double g = relativeError(bf16.grads.get(i), fp32.grads.get(i));
            assertTrue(g < 3 * BF16_TOLERANCE, "gradient " + i + " relative error " + g);
        }
    }

    @Test
    void convolutionsAndDenseLayersForwardAndBackwardAgreeWithFloat32() {
        assumeBf16();
        Tensor x = Tensor.uniform(new SplittableRandom(5), 0, 1, 4, 3, 12, 12);
        List<Supplier<Module>> nets = List.of(
                // Conv2D + ReLU + MaxPool runs as the fused oneDNN block
                () -> new Sequential(new Conv2D(8, 3, Activation.RELU), new MaxPool2D(2)),
                // a convolution alone as oneDNN's convolution primitives
                () -> new Sequential(new Conv2D(6, 3, 1, 1, Activation.LINEAR)),
                () -> new Sequential(new Conv2D(8, 3, Activation.RELU), new MaxPool2D(2),
                        new Conv2D(6, 3, 1, 1, Activation.LINEAR), new Flatten(), new Dense(32, Activation.RELU),
                        new Dense(3)));
        for (Supplier<Module> net : nets) {
            Module model = ((Sequential) net.get()).seed(9);
            Pass fp32 = pass(model, x, Precision.FP32);
            Pass bf16 = pass(model, x, Precision.BF16);
            assertClose(bf16, fp32);
            // the master weights stay float32: the same parameters, back in float32, give float32's results exactly
            Pass again = pass(model, x, Precision.FP32);
            assertArrayEquals(fp32.output, again.output);
        }
    }

    @Test
    void gradientsOfTheFloat32MasterWeightsMatchFiniteDifferences() {
        assumeBf16();
        Module model = new Sequential(new Dense(16, Activation.TANH), new Dense(1)).seed(4);
        Tensor x = Tensor.uniform(new SplittableRandom(8), -1, 1, 64, 10);
        Pass bf16 = pass(model, x, Precision.BF16);
        Tensor w = model.parameters().get(0);
        float[] weights = w.data();
        // central differences in float64-accumulated float32 arithmetic (no scope: float32)
        int[] probe = {0, 7, 33, 101, 159};
        for (int idx : probe) {
            int i = w.offset() + idx;
            float saved = weights[i];
            double h = 1e-2;
            weights[i] = (float) (saved + h);
            double up = lossOf(model, x);
            weights[i] = (float) (saved - h);
            double down = lossOf(model, x);
            weights[i] = saved;
            double numeric = (up - down) / (2 * h);
            double analytic = bf16.grads.get(0)[idx];
            assertEquals(numeric, analytic, 2e-2 * Math.max(1, Math.abs(numeric)), "d loss / d w[" + idx + "]");
        }
    }

    private static double lossOf(Module model, Tensor x) {
        double s = 0;
        for (float v : model.forward(x).toArray()) s += (double) v * v;
        return s;
    }

    @Test
    void withoutBf16TheScopeRunsFloat32AndSaysSoOnce() {
        String before = System.getProperty("nabla.bf16");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("nabla.bf16", "off");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Bf16Support.forgetNote();
            SplittableRandom rng = new SplittableRandom(1);
            float[] a = random(rng, 20 * 30);
            float[] b = random(rng, 30 * 10);
            float[] fp32 = new float[200];
            float[] fallback = new float[200];
            Kernels.gemm().sgemm(false, false, 20, 10, 30, 1f, a, 0, 30, b, 0, 10, 0f, fp32, 0, 10);
            for (int i = 0; i < 2; i++) {
                try (var scope = Precision.BF16.use()) {
                    assertEquals(Precision.FP32, Precision.current());
                    Kernels.gemm().sgemm(false, false, 20, 10, 30, 1f, a, 0, 30, b, 0, 10, 0f, fallback, 0, 10);
                }
            }
            assertArrayEquals(fp32, fallback, "the fallback is float32, to the bit");
            String note = captured.toString(StandardCharsets.UTF_8);
            assertEquals("nabla: bf16 precision unavailable (switched off by -Dnabla.bf16=off); running in float32"
                    + System.lineSeparator(), note, "one line, once");
            assertEquals("switched off by -Dnabla.bf16=off", Precision.bf16Unavailable());
        } finally {
            System.setErr(err);
            if (before == null) System.clearProperty("nabla.bf16"); else System.setProperty("nabla.bf16", before);
            Bf16Support.forgetNote();
        }
    }

    @Test
    void scopesNestAndRestoreAndNamesParse() {
        assertEquals(Precision.FP32, Precision.current());
        try (var outer = Precision.BF16.use()) {
            Precision inOuter = Precision.current();
            try (var inner = Precision.FP32.use()) {
                assertEquals(Precision.FP32, Precision.current());
            }
            assertEquals(inOuter, Precision.current());
        }
        assertEquals(Precision.FP32, Precision.current());
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals(Precision.FP32, Precision.parse("float32"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertEquals("unknown precision 'fp16': use fp32 or bf16", bad.getMessage());
    }
}
