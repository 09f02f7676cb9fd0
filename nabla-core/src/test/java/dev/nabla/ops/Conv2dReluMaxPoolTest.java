package dev.nabla.ops;

import static dev.nabla.testing.GradCheck.check;
import static dev.nabla.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.autograd.GradMode;
import dev.nabla.kernel.ConvReluPoolKernels;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused convolution + ReLU + max pooling op against finite differences and against the three ops it replaces
 * (which the pure-Java kernels run, and which it must match to float rounding, ties included).
 */
class Conv2dReluMaxPoolTest {

    private static final int[] ONE = {1, 1};
    private static final int[] TWO = {2, 2};

    @Test
    void runsWhereTheNativeKernelsDo() {
        Tensor x = uniform(1, -1, 1, 2, 1, 6, 6);
        Tensor w = uniform(2, -1, 1, 3, 1, 3, 3);
        assertEquals(ConvReluPoolKernels.available(), Conv2dReluMaxPool.supports(x, w, null, ConvSpec.DEFAULT, TWO, TWO));
        Tensor y = Conv2dReluMaxPool.apply(x, w, null, ONE, new int[]{0, 0}, TWO, TWO);
        if (ConvReluPoolKernels.available()) {
            assertNotNull(y);
            assertEquals(java.util.List.of(2, 3, 2, 2), java.util.Arrays.stream(y.shape()).boxed().toList());
        } else {
            assertNull(y);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        assumeTrue(ConvReluPoolKernels.available(), "needs the native kernels");
        // padding 1 and stride 1, then 2x2 pooling: 2 x 2 x 6 x 6 input -> 2 x 3 x 6 x 6 -> 2 x 3 x 3 x 3
        check("conv2d-relu-maxpool2d", in -> Conv2dReluMaxPool.apply(in[0], in[1], in[2], ONE, ONE, TWO, TWO),
                1e-3, 2e-2, uniform(11, -1, 1, 2, 2, 6, 6), uniform(12, -1, 1, 3, 2, 3, 3), uniform(13, -1, 1, 3));
        // no bias, odd output size (the last row and column of the 7 x 7 convolution output fall outside the pools)
        check("conv2d-relu-maxpool2d-no-bias", in -> Conv2dReluMaxPool.apply(in[0], in[1], null, ONE,
                new int[]{0, 0}, TWO, TWO), 1e-3, 2e-2, uniform(14, -1, 1, 3, 1, 9, 9), uniform(15, -1, 1, 4, 1, 3, 3));
    }

    @Test
    void matchesConvolutionReluAndPoolingAsThreeOps() {
        assumeTrue(ConvReluPoolKernels.available(), "needs the native kernels");
        Tensor x = uniform(21, -1, 1, 4, 3, 12, 11);
        float[] d = x.data();
        // a band of zeros in every image: equal pixels give equal convolution outputs (the bias, positive here), so
        // the pooling windows there hold ties, whose gradient must go to the first pixel as in the two-op path
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 6; h++) java.util.Arrays.fill(d, ((n * 3 + c) * 12 + h) * 11, ((n * 3 + c) * 12 + h) * 11 + 11, 0f);
            }
        }
        Tensor w = uniform(22, -1, 1, 5, 3, 3, 3);
        Tensor b = uniform(23, 0.1f, 0.5f, 5);
        Tensor upstream = uniform(24, -1, 1, 4, 5, 5, 5);

        Tensor[] fused = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        Tensor[] plain = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        int[] padding = {0, 1};
        Tensor y = Conv2dReluMaxPool.apply(fused[0], fused[1], fused[2], ONE, padding, TWO, TWO);
        Tensor z = MaxPool2d.apply(Conv2d.apply(plain[0], plain[1], plain[2], ONE, padding, ONE, true), TWO, TWO,
                new int[]{0, 0});
        assertClose("forward", z.toArray(), y.toArray());
        y.mul(upstream).sum().backward();
        z.mul(upstream).sum().backward();
        String[] names = {"input", "weight", "bias"};
        for (int i = 0; i < 3; i++) assertClose(names[i] + " gradient", plain[i].grad().toArray(), fused[i].grad().toArray());

        // without gradients (inference) the values are the same, and nothing is recorded
        try (var off = GradMode.noGrad()) {
            Tensor inferred = Conv2dReluMaxPool.apply(fused[0], fused[1], fused[2], ONE, padding, TWO, TWO);
            assertClose("inference", z.toArray(), inferred.toArray());
            assertEquals(null, inferred.gradFn());
        }
    }

    @Test
    void matchesTheThreeOpsOnRandomGeometries() {
        assumeTrue(ConvReluPoolKernels.available(), "needs the native kernels");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(41);
        for (int trial = 0; trial < 20; trial++) {
            int kernel = 1 + rnd.nextInt(3);
            int stride = 1 + rnd.nextInt(2);
            int pad = rnd.nextInt(kernel);
            int pool = 1 + rnd.nextInt(3);
            int poolStride = 1 + rnd.nextInt(pool);
            int size = kernel + pool + 2 + rnd.nextInt(6);
            int[] conv = {stride, stride};
            int[] padding = {pad, pad};
            int[] window = {pool, pool};
            int[] step = {poolStride, poolStride};
            long seed = 100 + 10L * trial;
            Tensor x = uniform(seed, -1, 1, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), size, size + rnd.nextInt(3));
            Tensor w = uniform(seed + 1, -1, 1, 1 + rnd.nextInt(5), x.shape(1), kernel, kernel);
            Tensor b = rnd.nextBoolean() ? uniform(seed + 2, -0.5f, 0.5f, w.shape(0)) : null;
            Tensor[] fused = {x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                    b == null ? null : b.detach().requiresGrad(true)};
            Tensor[] plain = {x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                    b == null ? null : b.detach().requiresGrad(true)};
            String what = "trial " + trial + ": x " + java.util.Arrays.toString(x.shape()) + " kernel " + kernel
                    + " stride " + stride + " pad " + pad + " pool " + pool + "/" + poolStride;
            Tensor y = Conv2dReluMaxPool.apply(fused[0], fused[1], fused[2], conv, padding, window, step);
            Tensor z = MaxPool2d.apply(Conv2d.apply(plain[0], plain[1], plain[2], conv, padding, ONE, true), window,
                    step, new int[]{0, 0});
            assertNotNull(y, what);
            assertClose(what + " forward", z.toArray(), y.toArray());
            Tensor upstream = uniform(seed + 3, -1, 1, y.shape());
            y.mul(upstream).sum().backward();
            z.mul(upstream).sum().backward();
            for (int i = 0; i < 3; i++) {
                if (plain[i] == null) continue;
                assertClose(what + " gradient " + i, plain[i].grad().toArray(), fused[i].grad().toArray());
            }
        }
    }

    @Test
    void matchesTheThreeOpsWithGroupsDilationAndAsymmetricPadding() {
        assumeTrue(ConvReluPoolKernels.available(), "needs the native kernels");
        ConvSpec[] specs = {
                ConvSpec.same(null, null, 4),                                   // depthwise 'same'
                ConvSpec.same(null, null, 2),                                   // even kernel below: 1 | 2 padding
                ConvSpec.of(new int[]{1, 2}, new int[]{0, 2, 1, 0}, new int[]{2, 1}, 1),
                ConvSpec.of(new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 2}, 4)};
        int[][] weights = {{8, 1, 3, 3}, {6, 2, 4, 4}, {5, 4, 3, 2}, {4, 1, 3, 3}};
        for (int i = 0; i < specs.length; i++) {
            ConvSpec spec = specs[i];
            long seed = 300 + 10L * i;
            Tensor x = uniform(seed, -1, 1, 2, 4, 11, 10);
            Tensor w = uniform(seed + 1, -1, 1, weights[i]);
            Tensor b = i % 2 == 0 ? uniform(seed + 2, -0.5f, 0.5f, weights[i][0]) : null;
            Tensor[] fused = {x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                    b == null ? null : b.detach().requiresGrad(true)};
            Tensor[] plain = {x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                    b == null ? null : b.detach().requiresGrad(true)};
            String what = "spec " + spec;
            org.junit.jupiter.api.Assertions.assertTrue(
                    Conv2dReluMaxPool.supports(fused[0], fused[1], fused[2], spec, TWO, TWO), what);
            Tensor y = Conv2dReluMaxPool.apply(fused[0], fused[1], fused[2], spec, TWO, TWO);
            Tensor z = MaxPool2d.apply(Conv2d.apply(plain[0], plain[1], plain[2], spec, true), TWO, TWO,
                    new int[]{0, 0});
            assertNotNull(y, what);
            assertClose(what + " forward", z.toArray(), y.toArray());
            Tensor upstream = uniform(seed + 3, -1, 1, y.shape());
            y.mul(upstream).sum().backward();
            z.mul(upstream).sum().backward();
            for (int j = 0; j < 3; j++) {
                if (plain[j] == null) continue;
                assertClose(what + " gradient " + j, plain[j].grad().toArray(), fused[j].grad().toArray());
            }
        }
    }

    @Test
    void supportsIsFalseForShapesThatDoNotFitAndWithoutTheNativeBlock() {
        int[] x = {2, 4, 9, 9};
        // channels that do not match, groups that do not divide, a pooling window larger than the output
        org.junit.jupiter.api.Assertions.assertFalse(Conv2dReluMaxPool.supports(x, new int[]{3, 3, 3, 3}, true,
                ConvSpec.DEFAULT, TWO, TWO, true));
        org.junit.jupiter.api.Assertions.assertFalse(Conv2dReluMaxPool.supports(x, new int[]{3, 2, 3, 3}, true,
                ConvSpec.DEFAULT.withGroups(2), TWO, TWO, true));
        org.junit.jupiter.api.Assertions.assertFalse(Conv2dReluMaxPool.supports(x, new int[]{3, 4, 3, 3}, false,
                ConvSpec.DEFAULT, new int[]{8, 8}, TWO, false));
        org.junit.jupiter.api.Assertions.assertEquals(ConvReluPoolKernels.available(), Conv2dReluMaxPool.supports(x,
                new int[]{4, 2, 3, 3}, true, ConvSpec.DEFAULT.withGroups(2), TWO, TWO, true));
    }

    @Test
    void largeBatchesRunInChunksWithoutGradientsAndAsTwoOpsWithThem() {
        assumeTrue(ConvReluPoolKernels.available(), "needs the native kernels");
        // 200 images of the CNN's first layer: 200 x 32 x 26 x 26 outputs, more than one native chunk (4M floats)
        Tensor x = uniform(31, 0, 1, 200, 1, 28, 28);
        Tensor w = uniform(32, -1, 1, 32, 1, 3, 3);
        Tensor b = uniform(33, -0.1f, 0.1f, 32);
        int[] none = {0, 0};
        Tensor expected = MaxPool2d.apply(Conv2d.apply(x, w, b, ONE, none, ONE, true), TWO, TWO, none);
        try (var off = GradMode.noGrad()) {
            assertClose("chunked inference", expected.toArray(),
                    Conv2dReluMaxPool.apply(x, w, b, ONE, none, TWO, TWO).toArray());
        }
        org.junit.jupiter.api.Assertions.assertTrue(Conv2dReluMaxPool.supports(x.shape(), w.shape(), true,
                ConvSpec.DEFAULT, TWO, TWO, false));
        // with gradients the state for backward would not fit one chunk: the caller runs the two ops
        Tensor trained = w.detach().requiresGrad(true);
        org.junit.jupiter.api.Assertions.assertFalse(Conv2dReluMaxPool.supports(x, trained, b, ConvSpec.DEFAULT, TWO,
                TWO));
        assertNull(Conv2dReluMaxPool.apply(x, trained, b, ONE, none, TWO, TWO));
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
