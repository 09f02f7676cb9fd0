package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the im2col/GEMM convolution against direct seven-loop convolutions computed in double precision. */
class Conv2dKernelsTest {

    // ---- references ------------------------------------------------------------------------------------------------

    /** Direct convolution; {@code mag} receives, per output, the sum of |terms|, which bounds float rounding. */
    static double[] naiveForward(ConvGeometry g, double[] x, double[] w, double[] b, double[] mag) {
        int oh = g.outH(), ow = g.outW();
        double[] y = new double[g.outputSize()];
        for (int n = 0; n < g.batch(); n++)
            for (int f = 0; f < g.outChannels(); f++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b[f];
                        double abs = b == null ? 0 : Math.abs(b[f]);
                        for (int c = 0; c < g.groupInChannels(); c++)
                            for (int u = 0; u < g.kernelH(); u++)
                                for (int v = 0; v < g.kernelW(); v++) {
                                    int ih = i * g.strideH() - g.padH() + u * g.dilationH();
                                    int iw = j * g.strideW() - g.padW() + v * g.dilationW();
                                    if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) continue;
                                    double t = x[xIndex(g, n, inputChannel(g, f, c), ih, iw)]
                                            * w[wIndex(g, f, c, u, v)];
                                    sum += t;
                                    abs += Math.abs(t);
                                }
                        int o = ((n * g.outChannels() + f) * oh + i) * ow + j;
                        y[o] = sum;
                        if (mag != null) mag[o] = abs;
                    }
        return y;
    }

    /** The adjoint loops: returns {gradInput, gradWeight, gradBias} and the |term| sums for each in {@code mag}. */
    static double[][] naiveBackward(ConvGeometry g, double[] x, double[] w, double[] gy, double[][] mag) {
        int oh = g.outH(), ow = g.outW();
        double[] gx = new double[g.inputSize()], gw = new double[g.weightSize()], gb = new double[g.outChannels()];
        double[] mx = new double[gx.length], mw = new double[gw.length], mb = new double[gb.length];
        for (int n = 0; n < g.batch(); n++)
            for (int f = 0; f < g.outChannels(); f++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double d = gy[((n * g.outChannels() + f) * oh + i) * ow + j];
                        gb[f] += d;
                        mb[f] += Math.abs(d);
                        for (int c = 0; c < g.groupInChannels(); c++)
                            for (int u = 0; u < g.kernelH(); u++)
                                for (int v = 0; v < g.kernelW(); v++) {
                                    int ih = i * g.strideH() - g.padH() + u * g.dilationH();
                                    int iw = j * g.strideW() - g.padW() + v * g.dilationW();
                                    if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) continue;
                                    int xi = xIndex(g, n, inputChannel(g, f, c), ih, iw);
                                    int wi = wIndex(g, f, c, u, v);
                                    gx[xi] += d * w[wi];
                                    mx[xi] += Math.abs(d * w[wi]);
                                    gw[wi] += d * x[xi];
                                    mw[wi] += Math.abs(d * x[xi]);
                                }
                    }
        if (mag != null) {
            mag[0] = mx;
            mag[1] = mw;
            mag[2] = mb;
        }
        return new double[][] {gx, gw, gb};
    }

    static int xIndex(ConvGeometry g, int n, int c, int h, int w) {
        return ((n * g.inChannels() + c) * g.height() + h) * g.width() + w;
    }

    /** Weight element of filter f for channel c of its group (c < inChannels/groups). */
    static int wIndex(ConvGeometry g, int f, int c, int u, int v) {
        return ((f * g.groupInChannels() + c) * g.kernelH() + u) * g.kernelW() + v;
    }

    /** The input channel that channel c of filter f's group is (groups take consecutive channels). */
    static int inputChannel(ConvGeometry g, int f, int c) {
        return f / g.groupOutChannels() * g.groupInChannels() + c;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static float[] randomFloats(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Garbage-filled, so that an element the kernel forgets to write fails the comparison. */
    static float[] garbage(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /** Float rounding in a sum is at most about (terms * eps) * sum|terms|; 3e-5 leaves room for a few hundred. */
    static void assertClose(String what, ConvGeometry g, double[] expected, double[] mag, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 3e-5 * mag[i] + 1e-6;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail(what + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i] + " (tol " + tol
                        + ") for " + g);
            }
        }
    }

    /** Random input, weight, bias and output gradient, with the reference results and their magnitudes. */
    record Case(float[] x, float[] w, float[] b, float[] gy, double[] yRef, double[] mag, double[][] ref,
                double[][] mags) {
        static Case random(ConvGeometry g, boolean withBias, Random rnd) {
            float[] x = randomFloats(rnd, g.inputSize());
            float[] w = randomFloats(rnd, g.weightSize());
            float[] b = withBias ? randomFloats(rnd, g.outChannels()) : null;
            float[] gy = randomFloats(rnd, g.outputSize());
            double[] mag = new double[g.outputSize()];
            double[] yRef = naiveForward(g, toDouble(x), toDouble(w), b == null ? null : toDouble(b), mag);
            double[][] mags = new double[3][];
            double[][] ref = naiveBackward(g, toDouble(x), toDouble(w), toDouble(gy), mags);
            return new Case(x, w, b, gy, yRef, mag, ref, mags);
        }
    }

    /**
     * Runs all three kernels on random data and compares each with the references: through the public entry points
     * and, for stride 1, with each unfolding forced on the forward and weight-gradient passes.
     */
    static void check(ConvGeometry g, boolean withBias, Random rnd) {
        Case c = Case.random(g, withBias, rnd);
        float[] x = c.x(), w = c.w(), b = c.b(), gy = c.gy();
        double[] yRef = c.yRef();
        double[][] ref = c.ref(), mags = c.mags();

        boolean stride1 = g.strideH() == 1 && g.strideW() == 1;
        for (String mode : stride1 ? new String[] {"auto", "general", "shifted"} : new String[] {"auto"}) {
            boolean shifted = mode.equals("shifted");
            boolean auto = mode.equals("auto");
            String what = " (" + mode + ")";

            // weight gradient first: it is the pass that would pick up stale junk columns (see the stale test)
            float[] gw = garbage(g.weightSize());
            float[] gb = withBias ? garbage(g.outChannels()) : null;
            if (auto) Conv2dKernels.backwardWeight(g, x, gy, gw, gb);
            else Conv2dKernels.backwardWeightGemm(g, x, gy, gw, gb, shifted);
            assertClose("backwardWeight" + what, g, ref[1], mags[1], gw);
            if (withBias) assertClose("backwardBias" + what, g, ref[2], mags[2], gb);

            float[] y = garbage(g.outputSize());
            if (auto) Conv2dKernels.forward(g, x, w, b, y);
            else Conv2dKernels.forwardGemm(g, x, w, b, y, shifted);
            assertClose("forward" + what, g, yRef, c.mag(), y);
        }
        // the input gradient has one layout only
        float[] gx = garbage(g.inputSize());
        Conv2dKernels.backwardInput(g, gy, w, gx);
        assertClose("backwardInput", g, ref[0], mags[0], gx);
    }

    /** A random valid geometry: strides 1-3, padding 0-2, dilation 1-2, kernels up to 4x4, odd and even sizes. */
    static ConvGeometry randomGeometry(Random rnd) {
        while (true) {
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4);
            int dh = 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
            int ph = rnd.nextInt(3), pw = rnd.nextInt(3);
            int h = 1 + rnd.nextInt(10), w = 1 + rnd.nextInt(10);
            if (h + 2 * ph < dh * (kh - 1) + 1 || w + 2 * pw < dw * (kw - 1) + 1) continue;
            return new ConvGeometry(1 + rnd.nextInt(3), 1 + rnd.nextInt(4), h, w, 1 + rnd.nextInt(5), kh, kw,
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(3), ph, pw, dh, dw);
        }
    }

    /**
     * A random valid geometry with the rest of what a convolution can do: padding that differs per side (0-3, so
     * also more than half the kernel), groups up to 4 with 1-3 channels each way per group (depthwise among them),
     * dilation up to 3, kernels up to 5 wide.
     */
    static ConvGeometry randomGeneralGeometry(Random rnd) {
        while (true) {
            int kh = 1 + rnd.nextInt(5), kw = 1 + rnd.nextInt(5);
            int dh = 1 + rnd.nextInt(3), dw = 1 + rnd.nextInt(3);
            int pt = rnd.nextInt(4), pb = rnd.nextInt(4), pl = rnd.nextInt(4), pr = rnd.nextInt(4);
            int h = 1 + rnd.nextInt(12), w = 1 + rnd.nextInt(12);
            if (h + pt + pb < dh * (kh - 1) + 1 || w + pl + pr < dw * (kw - 1) + 1) continue;
            int groups = 1 + rnd.nextInt(4);
            int cg = 1 + rnd.nextInt(3), fg = 1 + rnd.nextInt(3);
            return new ConvGeometry(1 + rnd.nextInt(3), groups * cg, h, w, groups * fg, kh, kw,
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(3), pt, pb, pl, pr, dh, dw, groups);
        }
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void matchesDirectConvolutionOnRandomGroupedAndAsymmetricGeometries() {
        Random rnd = new Random(43);
        for (int trial = 0; trial < 300; trial++) {
            check(randomGeneralGeometry(rnd), rnd.nextBoolean(), rnd);
        }
    }

    @Test
    void matchesOnDepthwiseSamePaddedAndPointwiseGroupedLayers() {
        Random rnd = new Random(44);
        // depthwise 3x3 'same' (stride 1: one pixel each side), and with a channel multiplier of 2
        check(new ConvGeometry(4, 8, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8), true, rnd);
        check(new ConvGeometry(3, 6, 9, 10, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 6), false, rnd);
        // TensorFlow 'same' for an even kernel and for stride 2: the odd pixel of padding at the bottom and right
        check(new ConvGeometry(2, 3, 8, 7, 4, 4, 2, 1, 1, 1, 2, 0, 1, 1, 1, 1), true, rnd);
        check(new ConvGeometry(2, 3, 8, 7, 4, 3, 3, 2, 2, 0, 1, 1, 1, 1, 1, 1), true, rnd);
        // grouped 1x1 (the pointwise fast path per group), strided depthwise, dilated grouped
        check(new ConvGeometry(3, 8, 5, 6, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2), true, rnd);
        check(new ConvGeometry(2, 4, 11, 9, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 4), true, rnd);
        check(new ConvGeometry(2, 6, 10, 10, 9, 3, 2, 1, 1, 2, 2, 1, 1, 2, 2, 3), false, rnd);
        // many depthwise images per GEMM block
        check(new ConvGeometry(40, 16, 6, 6, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 16), true, rnd);
    }

    @Test
    void groupedGeometryCountsWeightsPerGroup() {
        ConvGeometry g = new ConvGeometry(2, 6, 8, 8, 9, 3, 3, 1, 1, 0, 1, 0, 1, 1, 1, 3);
        assertEquals(9 * 2 * 3 * 3, g.weightSize());
        assertEquals(8 - 3 + 1 + 1, g.outH());
        assertEquals(2, g.groupInChannels());
        assertEquals(3, g.groupOutChannels());
        assertTrue(!g.symmetricPadding());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 6, 8, 8, 8, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 4));
        assertTrue(bad.getMessage().contains("groups"), bad.getMessage());
    }

    @Test
    void matchesDirectConvolutionOnRandomGeometries() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            check(randomGeometry(rnd), rnd.nextBoolean(), rnd);
        }
    }

    @Test
    void matchesOnPointwiseAndStridedOneByOne() {
        Random rnd = new Random(7);
        check(ConvGeometry.of(3, 5, 7, 6, 4, 1, 1, 0), true, rnd);      // fast path: the input is its own column matrix
        check(ConvGeometry.of(2, 3, 7, 7, 2, 1, 2, 0), false, rnd);     // 1x1 but strided: goes through im2col
        check(ConvGeometry.of(2, 3, 5, 5, 2, 1, 1, 1), true, rnd);      // 1x1 with padding: im2col
    }

    @Test
    void matchesWhenBlocksOfImagesShareAGemm() {
        Random rnd = new Random(11);
        // several blocks and a shorter final one, in both layouts, with either kernel's block budget (the pure-Java
        // GEMM's 64K floats give blocks of 2 images here; oneDNN's 1M, blocks of 38 or 42)
        int batch = 51;
        ConvGeometry g = ConvGeometry.of(batch, 8, 20, 20, 4, 3, 1, 0);
        for (boolean shifted : new boolean[]{false, true}) {
            int block = new ConvLayout(g, shifted).blockImages(batch);
            assertTrue(block >= 2 && batch % block != 0, "block of " + block + " images, shifted=" + shifted);
        }
        check(g, true, rnd);
        // many tiny images: the whole batch in one block
        check(ConvGeometry.of(9, 2, 5, 4, 3, 3, 1, 1), true, rnd);
    }

    @Test
    void matchesWhenSplitOverThreads() {
        Random rnd = new Random(13);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                // the CNN's two layers at small batches that still split over up to three threads
                check(ConvGeometry.of(9, 1, 28, 28, 32, 3, 1, 0), true, rnd);
                check(ConvGeometry.of(4, 32, 13, 13, 64, 3, 1, 0), true, rnd);
                check(new ConvGeometry(16, 8, 12, 11, 16, 3, 2, 2, 1, 1, 2, 1, 2), false, rnd);
                check(new ConvGeometry(12, 16, 10, 10, 16, 3, 3, 1, 1, 0, 1, 1, 0, 1, 1, 16), true, rnd);
                check(new ConvGeometry(10, 8, 12, 12, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), true, rnd);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void staleScratchDoesNotLeakIntoLaterCalls() {
        // a NaN-filled run leaves NaNs in this thread's buffers; junk columns of a later, smaller convolution are
        // multiplied by zero gradients, so they must not be left over from it (0 * NaN is NaN)
        ConvGeometry big = ConvGeometry.of(2, 3, 12, 12, 4, 3, 1, 1);
        float[] nan = garbage(big.inputSize());
        Conv2dKernels.forwardGemm(big, nan, nan, null, garbage(big.outputSize()), true);
        Conv2dKernels.backwardWeightGemm(big, nan, garbage(big.outputSize()), garbage(big.weightSize()), null, true);
        ConvGeometry small = ConvGeometry.of(1, 2, 12, 12, 3, 3, 1, 0);
        assertTrue(Conv2dKernels.prefersShifted(small));
        check(small, true, new Random(17));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // the loss sum(gy * conv(x, w)) is linear in x and in w, so a central difference in double is exact up to
        // rounding: this checks the references' transposition logic as well as the kernels
        ConvGeometry g = new ConvGeometry(2, 2, 5, 4, 3, 2, 3, 2, 1, 1, 2, 1, 1);
        Random rnd = new Random(5);
        float[] x = randomFloats(rnd, g.inputSize());
        float[] w = randomFloats(rnd, g.weightSize());
        float[] b = randomFloats(rnd, g.outChannels());
        float[] gy = randomFloats(rnd, g.outputSize());
        double[] xd = toDouble(x), wd = toDouble(w), bd = toDouble(b), gyd = toDouble(gy);

        float[] gx = garbage(g.inputSize());
        float[] gw = garbage(g.weightSize());
        float[] gb = garbage(g.outChannels());
        Conv2dKernels.backwardInput(g, gy, w, gx);
        Conv2dKernels.backwardWeight(g, x, gy, gw, gb);

        double eps = 1e-3;
        for (int i = 0; i < xd.length; i++) {
            double saved = xd[i];
            xd[i] = saved + eps;
            double up = loss(g, xd, wd, bd, gyd);
            xd[i] = saved - eps;
            double down = loss(g, xd, wd, bd, gyd);
            xd[i] = saved;
            assertEquals((up - down) / (2 * eps), gx[i], 1e-4, "d loss / d x[" + i + "]");
        }
        for (int i = 0; i < wd.length; i++) {
            double saved = wd[i];
            wd[i] = saved + eps;
            double up = loss(g, xd, wd, bd, gyd);
            wd[i] = saved - eps;
            double down = loss(g, xd, wd, bd, gyd);
            wd[i] = saved;
            assertEquals((up - down) / (2 * eps), gw[i], 1e-4, "d loss / d w[" + i + "]");
        }
        for (int i = 0; i < bd.length; i++) {
            double saved = bd[i];
            bd[i] = saved + eps;
            double up = loss(g, xd, wd, bd, gyd);
            bd[i] = saved - eps;
            double down = loss(g, xd, wd, bd, gyd);
            bd[i] = saved;
            assertEquals((up - down) / (2 * eps), gb[i], 1e-4, "d loss / d b[" + i + "]");
        }
    }

    static double loss(ConvGeometry g, double[] x, double[] w, double[] b, double[] gy) {
        double[] y = naiveForward(g, x, w, b, null);
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += y[i] * gy[i];
        return sum;
    }

    @Test
    void geometryFollowsPyTorchOutputFormula() {
        ConvGeometry g = new ConvGeometry(1, 1, 10, 9, 1, 3, 2, 3, 2, 1, 0, 2, 3);
        assertEquals((10 + 2 - 2 * 2 - 1) / 3 + 1, g.outH());
        assertEquals((9 - 3 * 1 - 1) / 2 + 1, g.outW());
        assertEquals(26, ConvGeometry.of(128, 1, 28, 28, 32, 3, 1, 0).outH());
        assertEquals(11, ConvGeometry.of(128, 32, 13, 13, 64, 3, 1, 0).outW());
    }

    @Test
    void rejectsBadGeometriesAndArrays() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of(1, 1, 2, 2, 1, 3, 1, 0));
        assertTrue(empty.getMessage().contains("conv2d") && empty.getMessage().contains("2x2"), empty.getMessage());
        IllegalArgumentException dilated = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 2, 2));
        assertTrue(dilated.getMessage().contains("conv2d"), dilated.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(1, 1, 5, 5, 1, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(1, 1, 5, 5, 1, 3, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(1, 0, 5, 5, 1, 3, 1, 0));

        ConvGeometry g = ConvGeometry.of(2, 3, 5, 5, 4, 3, 1, 1);
        IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
                () -> Conv2dKernels.forward(g, new float[10], new float[g.weightSize()], null,
                        new float[g.outputSize()]));
        assertTrue(shortInput.getMessage().contains("conv2d") && shortInput.getMessage().contains("input"),
                shortInput.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.forward(g, new float[g.inputSize()],
                new float[g.weightSize()], new float[3], new float[g.outputSize()]));
        assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.backwardWeight(g, new float[g.inputSize()],
                new float[g.outputSize()], new float[g.weightSize() - 1], null));
    }

    @Test
    void emptyBatchIsANoOpAndZeroesWeightGradients() {
        ConvGeometry g = ConvGeometry.of(0, 2, 4, 4, 3, 3, 1, 1);
        float[] gw = garbage(g.weightSize());
        float[] gb = garbage(3);
        Conv2dKernels.forward(g, new float[0], new float[g.weightSize()], null, new float[0]);
        Conv2dKernels.backwardInput(g, new float[0], new float[g.weightSize()], new float[0]);
        Conv2dKernels.backwardWeight(g, new float[0], new float[0], gw, gb);
        for (float v : gw) assertEquals(0f, v);
        for (float v : gb) assertEquals(0f, v);
    }
}
