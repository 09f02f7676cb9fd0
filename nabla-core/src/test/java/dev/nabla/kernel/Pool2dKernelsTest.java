package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks max and average pooling against direct loops written from PyTorch's definitions. */
class Pool2dKernelsTest {

    /**
     * Index within the plane of each window's maximum as PyTorch's scan finds it: the first of equal maxima, but a NaN
     * wins and a later NaN beats an earlier one. Padding never wins (-1 would mean a window of padding only).
     */
    static int[] naiveArgmax(PoolGeometry g, float[] x) {
        int oh = g.outH(), ow = g.outW(), hw = g.height() * g.width();
        int[] arg = new int[g.outputSize()];
        for (int p = 0; p < g.batch() * g.channels(); p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int u = 0; u < g.kernelH(); u++)
                        for (int v = 0; v < g.kernelW(); v++) {
                            int ih = i * g.strideH() - g.padH() + u, iw = j * g.strideW() - g.padW() + v;
                            if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) continue;
                            int idx = ih * g.width() + iw;
                            if (best < 0 || x[p * hw + idx] > x[p * hw + best] || Float.isNaN(x[p * hw + idx])) best = idx;
                        }
                    arg[(p * oh + i) * ow + j] = best;
                }
        return arg;
    }

    /** count_include_pad: every window is divided by the full kernel area. */
    static double[] naiveAvg(PoolGeometry g, float[] x) {
        int oh = g.outH(), ow = g.outW(), hw = g.height() * g.width();
        double[] y = new double[g.outputSize()];
        for (int p = 0; p < g.batch() * g.channels(); p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int u = 0; u < g.kernelH(); u++)
                        for (int v = 0; v < g.kernelW(); v++) {
                            int ih = i * g.strideH() - g.padH() + u, iw = j * g.strideW() - g.padW() + v;
                            if (ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width()) sum += x[p * hw + ih * g.width() + iw];
                        }
                    y[(p * oh + i) * ow + j] = sum / (g.kernelH() * g.kernelW());
                }
        return y;
    }

    static double[] naiveAvgBackward(PoolGeometry g, float[] gy) {
        int oh = g.outH(), ow = g.outW(), hw = g.height() * g.width();
        double[] gx = new double[g.inputSize()];
        for (int p = 0; p < g.batch() * g.channels(); p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int u = 0; u < g.kernelH(); u++)
                        for (int v = 0; v < g.kernelW(); v++) {
                            int ih = i * g.strideH() - g.padH() + u, iw = j * g.strideW() - g.padW() + v;
                            if (ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width()) {
                                gx[p * hw + ih * g.width() + iw] +=
                                        (double) gy[(p * oh + i) * ow + j] / (g.kernelH() * g.kernelW());
                            }
                        }
        return gx;
    }

    static PoolGeometry randomGeometry(Random rnd, boolean max) {
        while (true) {
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4);
            int ph = rnd.nextInt(kh / 2 + 1), pw = rnd.nextInt(kw / 2 + 1);
            int h = 1 + rnd.nextInt(9), w = 1 + rnd.nextInt(9);
            if (h + 2 * ph < kh || w + 2 * pw < kw) continue;
            return new PoolGeometry(max ? "max_pool2d" : "avg_pool2d", 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), h, w,
                    kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), ph, pw);
        }
    }

    /** Small integers, so that windows often hold several equal maxima; negative, so zero padding would win. */
    static float[] tiedNegatives(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = -1 - rnd.nextInt(3);
        return a;
    }

    /** Ties, signed zeros, infinities and the odd NaN: the values where comparison rules show. */
    static float[] specialValues(Random rnd, int n) {
        float[] pool = {0f, -0f, 1f, 1f, -1f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN};
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextInt(6) == 0 ? pool[rnd.nextInt(pool.length)] : -1 - rnd.nextInt(2);
        return a;
    }

    static void checkMax(PoolGeometry g, float[] x, Random rnd) {
        float[] y = new float[g.outputSize()];
        Arrays.fill(y, Float.NaN);
        int[] arg = new int[g.outputSize()];
        Arrays.fill(arg, -7);
        Pool2dKernels.maxPoolForward(g, x, y, arg);
        int[] ref = naiveArgmax(g, x);
        int hw = g.height() * g.width(), ohw = g.outH() * g.outW();
        assertArrayEquals(ref, arg, "argmax for " + g);
        for (int o = 0; o < y.length; o++) assertEquals(x[(o / ohw) * hw + ref[o]], y[o], "max at " + o + " for " + g);

        float[] gy = Conv2dKernelsTest.randomFloats(rnd, g.outputSize());
        float[] gx = new float[g.inputSize()];
        Arrays.fill(gx, Float.NaN);
        Pool2dKernels.maxPoolBackward(g, gy, arg, gx);
        double[] gxRef = new double[g.inputSize()];
        for (int o = 0; o < gy.length; o++) gxRef[(o / ohw) * hw + ref[o]] += gy[o];
        assertClose("max_pool2d backward", g, gxRef, gx);
    }

    static void checkAvg(PoolGeometry g, Random rnd) {
        float[] x = Conv2dKernelsTest.randomFloats(rnd, g.inputSize());
        float[] y = new float[g.outputSize()];
        Arrays.fill(y, Float.NaN);
        Pool2dKernels.avgPoolForward(g, x, y);
        assertClose("avg_pool2d forward", g, naiveAvg(g, x), y);
        float[] gy = Conv2dKernelsTest.randomFloats(rnd, g.outputSize());
        float[] gx = new float[g.inputSize()];
        Arrays.fill(gx, Float.NaN);
        Pool2dKernels.avgPoolBackward(g, gy, gx);
        assertClose("avg_pool2d backward", g, naiveAvgBackward(g, gy), gx);
    }

    static void assertClose(String what, PoolGeometry g, double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])))) {
                fail(what + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i] + " for " + g);
            }
        }
    }

    @Test
    void maxPoolMatchesDirectLoopsWithTiesAndPadding() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            PoolGeometry g = randomGeometry(rnd, true);
            checkMax(g, tiedNegatives(rnd, g.inputSize()), rnd);
            checkMax(g, Conv2dKernelsTest.randomFloats(rnd, g.inputSize()), rnd);
            checkMax(g, specialValues(rnd, g.inputSize()), rnd);
        }
        // the unrolled 2x2 stride-2 path must follow the same rules
        for (int trial = 0; trial < 20; trial++) {
            PoolGeometry g = PoolGeometry.maxPool(1 + rnd.nextInt(2), 1 + rnd.nextInt(3), 2 + rnd.nextInt(7),
                    2 + rnd.nextInt(7), 2, 2, 0);
            checkMax(g, specialValues(rnd, g.inputSize()), rnd);
            checkMax(g, tiedNegatives(rnd, g.inputSize()), rnd);
        }
    }

    @Test
    void avgPoolMatchesDirectLoops() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 300; trial++) checkAvg(randomGeometry(rnd, false), rnd);
    }

    @Test
    void matchesWhenSplitOverThreads() {
        Random rnd = new Random(8);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                PoolGeometry max = PoolGeometry.maxPool(9, 16, 26, 26, 2, 2, 0);
                checkMax(max, tiedNegatives(rnd, max.inputSize()), rnd);
                checkAvg(PoolGeometry.avgPool(9, 16, 27, 25, 3, 2, 1), rnd);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void tiesGoToTheFirstPixelAndOverlappingWindowsAccumulate() {
        // one 3x3 plane of equal values, 2x2 windows at stride 1: each window's first (top-left) pixel wins
        PoolGeometry g = PoolGeometry.maxPool(1, 1, 3, 3, 2, 1, 0);
        float[] x = new float[9];
        Arrays.fill(x, 5f);
        float[] y = new float[4];
        int[] arg = new int[4];
        Pool2dKernels.maxPoolForward(g, x, y, arg);
        assertArrayEquals(new int[] {0, 1, 3, 4}, arg);
        // a single large pixel wins all four windows and collects all four gradients
        x[4] = 9f;
        Pool2dKernels.maxPoolForward(g, x, y, arg);
        assertArrayEquals(new int[] {4, 4, 4, 4}, arg);
        float[] gx = new float[9];
        Pool2dKernels.maxPoolBackward(g, new float[] {1, 2, 3, 4}, arg, gx);
        assertArrayEquals(new float[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, gx);
    }

    @Test
    void paddingIsNegativeInfinityForMaxAndZeroCountedForAvg() {
        // 2x2 plane of -1s padded by 1, 2x2 windows at stride 2: each window holds one pixel and three padding cells
        float[] x = {-1, -2, -3, -4};
        PoolGeometry max = PoolGeometry.maxPool(1, 1, 2, 2, 2, 2, 1);
        float[] y = new float[4];
        int[] arg = new int[4];
        Pool2dKernels.maxPoolForward(max, x, y, arg);
        assertArrayEquals(new float[] {-1, -2, -3, -4}, y);
        assertArrayEquals(new int[] {0, 1, 2, 3}, arg);
        PoolGeometry avg = PoolGeometry.avgPool(1, 1, 2, 2, 2, 2, 1);
        Pool2dKernels.avgPoolForward(avg, x, y);
        assertArrayEquals(new float[] {-0.25f, -0.5f, -0.75f, -1f}, y);
    }

    @Test
    void nanWinsTheWindow() {
        PoolGeometry g = PoolGeometry.maxPool(1, 1, 2, 2, 2, 2, 0);
        float[] y = new float[1];
        int[] arg = new int[1];
        Pool2dKernels.maxPoolForward(g, new float[] {1, Float.NaN, 3, 2}, y, arg);
        assertTrue(Float.isNaN(y[0]));
        assertEquals(1, arg[0]);
    }

    @Test
    void rejectsBadGeometriesAndArgmax() {
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> PoolGeometry.maxPool(1, 1, 8, 8, 3, 1, 2));
        assertTrue(pad.getMessage().contains("max_pool2d") && pad.getMessage().contains("half"), pad.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> PoolGeometry.avgPool(1, 1, 2, 2, 3, 1, 0));
        assertTrue(empty.getMessage().contains("avg_pool2d") && empty.getMessage().contains("2x2"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolGeometry.maxPool(1, 1, 4, 4, 2, 0, 0));

        PoolGeometry g = PoolGeometry.maxPool(1, 1, 4, 4, 2, 2, 0);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Pool2dKernels.maxPoolBackward(g, new float[4], new int[] {0, 1, 16, 3}, new float[16]));
        assertTrue(bad.getMessage().contains("max_pool2d"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Pool2dKernels.avgPoolForward(PoolGeometry.avgPool(1, 1, 4, 4, 2, 2, 0), new float[15], new float[4]));
    }
}
