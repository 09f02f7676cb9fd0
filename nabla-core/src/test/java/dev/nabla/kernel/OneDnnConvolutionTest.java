package dev.nabla.kernel;

import static dev.nabla.kernel.Conv2dKernelsTest.assertClose;
import static dev.nabla.kernel.Conv2dKernelsTest.garbage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's convolution primitives against the direct double-precision reference, including batches split into
 * chunks (a small chunk size makes small batches take that path) and the fused ReLU.
 */
class OneDnnConvolutionTest {

    private static boolean nativeKernels() {
        return Kernels.gemm().name().equals("onednn");
    }

    @Test
    void primitivesRunWheneverTheNativeKernelsDo() {
        if (nativeKernels() && !System.getProperty("nabla.conv", "native").equals("gemm")) {
            assertNotNull(Kernels.convolution(), "native kernels without convolution primitives: "
                    + Kernels.convolutionFailure());
        } else {
            assertNull(Kernels.convolution());
        }
    }

    @Test
    void chunkedBatchesMatchTheReference() {
        assumeTrue(nativeKernels(), "needs the native kernels");
        Random rnd = new Random(5);
        // 2 x 9 x 9 input (162 floats) and 3 x 7 x 7 output (147): 400 floats per chunk gives chunks of 2 images
        OneDnnConvolution conv = new OneDnnConvolution(400);
        for (ConvGeometry g : new ConvGeometry[]{
                ConvGeometry.of(7, 2, 9, 9, 3, 3, 1, 0),
                new ConvGeometry(5, 2, 9, 9, 3, 3, 2, 2, 1, 1, 1, 2, 1)}) {
            assertEquals(2, conv.chunkImages(g), "chunk for " + g);
            for (boolean withBias : new boolean[]{true, false}) check(conv, g, withBias, rnd);
        }
    }

    @Test
    void wholeBatchesMatchTheReference() {
        assumeTrue(nativeKernels(), "needs the native kernels");
        OneDnnConvolution conv = new OneDnnConvolution();
        Random rnd = new Random(6);
        for (int i = 0; i < 12; i++) check(conv, Conv2dKernelsTest.randomGeometry(rnd), i % 2 == 0, rnd);
        check(conv, ConvGeometry.of(16, 1, 28, 28, 32, 3, 1, 0), true, rnd);
    }

    @Test
    void groupedDilatedAndAsymmetricallyPaddedGeometriesRunNatively() {
        assumeTrue(nativeKernels(), "needs the native kernels");
        OneDnnConvolution conv = new OneDnnConvolution();
        Random rnd = new Random(9);
        // check() asserts that oneDNN ran each pass rather than leaving it to the GEMM kernels
        check(conv, new ConvGeometry(4, 8, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8), true, rnd);
        check(conv, new ConvGeometry(3, 6, 9, 10, 12, 3, 3, 2, 1, 0, 1, 1, 0, 1, 1, 6), false, rnd);
        check(conv, new ConvGeometry(2, 3, 8, 7, 4, 4, 2, 1, 1, 1, 2, 0, 1, 1, 1, 1), true, rnd);
        check(conv, new ConvGeometry(2, 6, 10, 10, 9, 3, 2, 1, 1, 2, 2, 1, 1, 2, 2, 3), true, rnd);
        for (int i = 0; i < 20; i++) check(conv, Conv2dKernelsTest.randomGeneralGeometry(rnd), i % 2 == 0, rnd);
    }

    @Test
    void primitivesBuiltAgainAfterManyOtherGeometries() {
        assumeTrue(nativeKernels(), "needs the native kernels");
        OneDnnConvolution conv = new OneDnnConvolution();
        Random rnd = new Random(8);
        ConvGeometry first = ConvGeometry.of(2, 3, 7, 7, 4, 3, 1, 1);
        check(conv, first, true, rnd);
        // more geometries than the plan cache keeps: the first one's primitives are freed, then built again
        for (int size = 5; size < 27; size++) check(conv, ConvGeometry.of(1, 2, size, size, 3, 3, 1, 0), false, rnd);
        check(conv, first, true, rnd);
    }

    @Test
    void emptyBatchIsLeftToTheCaller() {
        assumeTrue(nativeKernels(), "needs the native kernels");
        OneDnnConvolution conv = new OneDnnConvolution();
        ConvGeometry g = ConvGeometry.of(0, 2, 5, 5, 3, 3, 1, 0);
        assertFalse(conv.forward(g, new float[0], new float[g.weightSize()], null, new float[0], false));
        assertFalse(conv.backwardWeight(g, new float[0], new float[0], new float[g.weightSize()], null));
    }

    private static void check(OneDnnConvolution conv, ConvGeometry g, boolean withBias, Random rnd) {
        Conv2dKernelsTest.Case c = Conv2dKernelsTest.Case.random(g, withBias, rnd);
        float[] x = c.x(), w = c.w(), b = c.b(), gy = c.gy();
        double[] yRef = c.yRef(), mag = c.mag();
        double[][] ref = c.ref(), mags = c.mags();

        float[] y = garbage(g.outputSize());
        assertTrue(conv.forward(g, x, w, b, y, false), "forward ran for " + g);
        assertClose("forward", g, yRef, mag, y);

        float[] relu = garbage(g.outputSize());
        assertTrue(conv.forward(g, x, w, b, relu, true));
        double[] reluRef = new double[yRef.length];
        for (int i = 0; i < yRef.length; i++) reluRef[i] = Math.max(yRef[i], 0);
        assertClose("forward with ReLU", g, reluRef, mag, relu);

        float[] gx = garbage(g.inputSize());
        assertTrue(conv.backwardInput(g, gy, w, gx));
        assertClose("backwardInput", g, ref[0], mags[0], gx);

        float[] gw = garbage(g.weightSize());
        float[] gb = withBias ? garbage(g.outChannels()) : null;
        assertTrue(conv.backwardWeight(g, x, gy, gw, gb));
        assertClose("backwardWeight", g, ref[1], mags[1], gw);
        if (withBias) assertClose("backwardBias", g, ref[2], mags[2], gb);
    }
}
