package dev.nabla.ops;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import static dev.nabla.testing.GradCheck.awayFromZero;
import static dev.nabla.testing.GradCheck.check;
import static dev.nabla.testing.GradCheck.uniform;

/** Every differentiable op's backward against central finite differences. */
class OpGradientTest {

    // ---------------------------------------------------------------- arithmetic, with broadcasting

    @Test
    void add() {
        check("add", in -> in[0].add(in[1]), uniform(1, -1, 1, 3, 4), uniform(2, -1, 1, 3, 4));
        check("add-broadcast", in -> in[0].add(in[1]), uniform(3, -1, 1, 2, 3, 4), uniform(4, -1, 1, 3, 1));
        check("add-row", in -> in[0].add(in[1]), uniform(5, -1, 1, 5, 4), uniform(6, -1, 1, 4));
    }

    @Test
    void sub() {
        check("sub", in -> in[0].sub(in[1]), uniform(1, -1, 1, 2, 3), uniform(2, -1, 1, 1, 3));
    }

    @Test
    void mul() {
        check("mul", in -> in[0].mul(in[1]), uniform(1, -1, 1, 4, 3), uniform(2, -1, 1, 4, 3));
        check("mul-broadcast", in -> in[0].mul(in[1]), uniform(3, -1, 1, 2, 1, 3), uniform(4, -1, 1, 4, 1));
    }

    @Test
    void div() {
        check("div", in -> in[0].div(in[1]), uniform(1, -1, 1, 3, 3), uniform(2, 0.5f, 2, 3, 3));
        check("div-broadcast", in -> in[0].div(in[1]), uniform(3, -1, 1, 2, 3), uniform(4, 0.5f, 2, 3));
    }

    @Test
    void neg() {
        check("neg", in -> in[0].neg(), uniform(1, -1, 1, 2, 5));
    }

    @Test
    void pow() {
        check("pow", in -> in[0].pow(3f), uniform(1, -1.5f, 1.5f, 2, 5));
        check("pow-fractional", in -> in[0].pow(1.5f), uniform(2, 0.5f, 2, 2, 5));
    }

    @Test
    void square() {
        check("square", in -> in[0].square(), uniform(1, -2, 2, 7));
    }

    @Test
    void sqrt() {
        check("sqrt", in -> in[0].sqrt(), uniform(1, 0.5f, 3, 7));
    }

    @Test
    void exp() {
        check("exp", in -> in[0].exp(), uniform(1, -2, 2, 3, 3));
    }

    @Test
    void log() {
        check("log", in -> in[0].log(), uniform(1, 0.5f, 3, 3, 3));
    }

    @Test
    void abs() {
        check("abs", in -> in[0].abs(), awayFromZero(1, 0.1f, 2, 3, 3));
    }

    @Test
    void clamp() {
        // values near the bounds are avoided: the derivative jumps there
        Tensor x = Tensor.of(new float[]{-2f, -0.8f, -0.3f, 0.1f, 0.45f, 0.9f, 1.7f, 3f}, 2, 4);
        check("clamp", in -> in[0].clamp(-0.5f, 1f), x);
    }

    @Test
    void maximumAndMinimum() {
        Tensor a = uniform(1, -1, 1, 3, 4);
        Tensor b = uniform(2, -1, 1, 3, 4);
        check("maximum", in -> in[0].maximum(in[1]), a, b);
        check("minimum", in -> in[0].minimum(in[1]), uniform(1, -1, 1, 3, 4), uniform(2, -1, 1, 4));
    }

    // ---------------------------------------------------------------- activations

    @Test
    void relu() {
        check("relu", in -> in[0].relu(), awayFromZero(1, 0.05f, 2, 4, 5));
    }

    @Test
    void leakyRelu() {
        check("leakyRelu", in -> in[0].leakyRelu(0.1f), awayFromZero(1, 0.05f, 2, 4, 5));
    }

    @Test
    void elu() {
        check("elu", in -> in[0].elu(1.3f), awayFromZero(1, 0.05f, 2, 4, 5));
    }

    @Test
    void sigmoid() {
        check("sigmoid", in -> in[0].sigmoid(), uniform(1, -4, 4, 4, 5));
    }

    @Test
    void tanh() {
        check("tanh", in -> in[0].tanh(), uniform(1, -3, 3, 4, 5));
    }

    @Test
    void gelu() {
        check("gelu", in -> in[0].gelu(), uniform(1, -4, 4, 4, 5));
        check("geluTanh", in -> in[0].geluTanh(), uniform(2, -4, 4, 4, 5));
    }

    @Test
    void silu() {
        check("silu", in -> in[0].silu(), uniform(1, -6, 6, 4, 5));
    }

    @Test
    void softplus() {
        check("softplus", in -> in[0].softplus(), uniform(1, -6, 6, 4, 5));
        // both sides of the threshold (beta 2: the linear branch from x = 1.5), kept away from it, where the
        // derivative jumps from sigmoid(3) to 1
        Tensor x = Tensor.of(new float[]{-4f, -1f, -0.2f, 0.3f, 1f, 1.3f, 1.7f, 2f, 3f, 6f}, 2, 5);
        check("softplus-beta-threshold", in -> in[0].softplus(2f, 3f), x);
        assertArrayEquals(new float[]{25f, 0f}, Tensor.of(new float[]{25f, -200f}).softplus().toArray());
    }

    @Test
    void mish() {
        check("mish", in -> in[0].mish(), uniform(1, -6, 6, 4, 5));
        float[] tails = Tensor.of(new float[]{100f, -100f, 30f}).mish().toArray();
        assertArrayEquals(new float[]{100f, -0f, 30f}, tails, 1e-6f);
    }

    @Test
    void prelu() {
        check("prelu-channels", in -> in[0].prelu(in[1]), awayFromZero(1, 0.05f, 2, 2, 3, 4, 5),
                uniform(2, 0.05f, 0.5f, 3));
        check("prelu-shared", in -> in[0].prelu(in[1]), awayFromZero(3, 0.05f, 2, 4, 6), uniform(4, 0.05f, 0.5f, 1));
        check("prelu-2d", in -> in[0].prelu(in[1]), awayFromZero(5, 0.05f, 2, 5, 3), uniform(6, 0.05f, 0.5f, 3));
        check("prelu-1d-shared", in -> in[0].prelu(in[1]), awayFromZero(7, 0.05f, 2, 7), uniform(8, 0.05f, 0.5f, 1));
        org.junit.jupiter.api.Assertions.assertThrows(dev.nabla.tensor.ShapeException.class,
                () -> uniform(9, -1, 1, 2, 3, 4).prelu(Tensor.ones(4)));
    }

    @Test
    void softmax() {
        check("softmax-last", in -> in[0].softmax(-1), uniform(1, -2, 2, 3, 5));
        check("softmax-middle", in -> in[0].softmax(1), uniform(2, -2, 2, 2, 3, 4));
    }

    @Test
    void logSoftmax() {
        check("logSoftmax-last", in -> in[0].logSoftmax(-1), uniform(1, -2, 2, 3, 5));
        check("logSoftmax-first", in -> in[0].logSoftmax(0), uniform(2, -2, 2, 3, 4));
    }

    // ---------------------------------------------------------------- normalisation

    @Test
    void batchNorm() {
        check("batchNorm-train-nchw", in -> in[0].batchNorm(in[1], in[2], null, null, 0.1f, 1e-5f, true),
                uniform(1, -1, 1, 3, 2, 3, 4), uniform(2, 0.5f, 1.5f, 2), uniform(3, -1, 1, 2));
        check("batchNorm-train-nc", in -> in[0].batchNorm(in[1], in[2], null, null, 0.1f, 1e-5f, true),
                uniform(4, -1, 1, 6, 3), uniform(5, 0.5f, 1.5f, 3), uniform(6, -1, 1, 3));
        check("batchNorm-train-no-affine", in -> in[0].batchNorm(null, null, null, null, 0.1f, 1e-3f, true),
                uniform(7, -1, 1, 2, 3, 5));
        Tensor rm = uniform(8, -0.5f, 0.5f, 2);
        Tensor rv = uniform(9, 0.5f, 1.5f, 2);
        check("batchNorm-eval", in -> in[0].batchNorm(in[1], in[2], rm, rv, 0.1f, 1e-5f, false),
                uniform(10, -1, 1, 3, 2, 3, 3), uniform(11, 0.5f, 1.5f, 2), uniform(12, -1, 1, 2));
    }

    @Test
    void layerNorm() {
        check("layerNorm-rows", in -> LayerNormOp.apply(in[0], in[1], in[2], 1e-5f),
                uniform(21, -1, 1, 4, 5), uniform(22, 0.5f, 1.5f, 5), uniform(23, -1, 1, 5));
        check("layerNorm-sequences", in -> LayerNormOp.apply(in[0], in[1], in[2], 1e-3f),
                uniform(24, -1, 1, 2, 3, 4), uniform(25, 0.5f, 1.5f, 4), uniform(26, -1, 1, 4));
    }

    /** The fused op against the composed ops nn.LayerNorm used, at a size split over threads. */
    @Test
    void layerNormIsTheComposedOps() {
        Tensor x = uniform(1, -2, 3, 300, 7, 48);
        Tensor gamma = uniform(2, 0.5f, 1.5f, 48);
        Tensor beta = uniform(3, -1, 1, 48);
        Tensor upstream = uniform(4, -1, 1, 300, 7, 48);
        Tensor[] fused = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true), beta.detach().requiresGrad(true)};
        Tensor[] plain = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true), beta.detach().requiresGrad(true)};
        Tensor y = LayerNormOp.apply(fused[0], fused[1], fused[2], 1e-5f);
        Tensor mean = plain[0].mean(-1, true);
        Tensor centred = plain[0].sub(mean);
        Tensor z = centred.div(centred.square().mean(-1, true).add(1e-5f).sqrt()).mul(plain[1]).add(plain[2]);
        assertClose("forward", z.toArray(), y.toArray(), 2e-5);
        y.mul(upstream).sum().backward();
        z.mul(upstream).sum().backward();
        for (int i = 0; i < 3; i++) assertClose("gradient " + i, plain[i].grad().toArray(), fused[i].grad().toArray(), 2e-4);
    }

    /** The fused op against the composed ops nn.BatchNorm used (mean, sub, square, ...), at a size split over threads. */
    @Test
    void batchNormIsTheComposedOps() {
        for (boolean training : new boolean[]{true, false}) {
            Tensor x = uniform(1, -2, 3, 64, 32, 8, 8);
            Tensor gamma = uniform(2, 0.5f, 1.5f, 32);
            Tensor beta = uniform(3, -1, 1, 32);
            Tensor rm = uniform(4, -0.5f, 0.5f, 32);
            Tensor rv = uniform(5, 0.5f, 1.5f, 32);
            Tensor upstream = uniform(6, -1, 1, 64, 32, 8, 8);
            Tensor[] fused = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true),
                    beta.detach().requiresGrad(true)};
            Tensor[] plain = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true),
                    beta.detach().requiresGrad(true)};
            Tensor fusedMean = rm.copy();
            Tensor fusedVar = rv.copy();
            Tensor y = fused[0].batchNorm(fused[1], fused[2], fusedMean, fusedVar, 0.1f, 1e-5f, training);
            int[] axes = {0, 2, 3};
            Tensor mean = training ? plain[0].mean(axes, true) : rm.reshape(1, 32, 1, 1);
            Tensor var = training ? plain[0].sub(mean).square().mean(axes, true) : rv.reshape(1, 32, 1, 1);
            Tensor z = plain[0].sub(mean).div(var.add(1e-5f).sqrt()).mul(plain[1].reshape(1, 32, 1, 1))
                    .add(plain[2].reshape(1, 32, 1, 1));
            assertClose("forward, training=" + training, z.toArray(), y.toArray(), 2e-5);
            y.mul(upstream).sum().backward();
            z.mul(upstream).sum().backward();
            for (int i = 0; i < 3; i++) {
                assertClose("gradient " + i + ", training=" + training, plain[i].grad().toArray(),
                        fused[i].grad().toArray(), 1e-4);
            }
            if (training) {
                float[] m = mean.toArray();
                float[] v = var.toArray();
                float n = 64 * 8 * 8;
                for (int c = 0; c < 32; c++) {
                    org.junit.jupiter.api.Assertions.assertEquals(0.9f * rm.get(c) + 0.1f * m[c], fusedMean.get(c), 1e-5f);
                    org.junit.jupiter.api.Assertions.assertEquals(0.9f * rv.get(c) + 0.1f * v[c] * n / (n - 1),
                            fusedVar.get(c), 1e-5f);
                }
            } else {
                assertArrayEquals(rm.toArray(), fusedMean.toArray());
                assertArrayEquals(rv.toArray(), fusedVar.toArray());
            }
        }
    }

    @Test
    void batchNormRejectsWhatPyTorchRejects() {
        org.junit.jupiter.api.Assertions.assertThrows(dev.nabla.tensor.ShapeException.class,
                () -> uniform(1, -1, 1, 1, 4).batchNorm(null, null, null, null, 0.1f, 1e-5f, true));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> uniform(1, -1, 1, 3, 4).batchNorm(null, null, null, null, 0.1f, 1e-5f, false));
        org.junit.jupiter.api.Assertions.assertThrows(dev.nabla.tensor.ShapeException.class,
                () -> uniform(1, -1, 1, 3, 4).batchNorm(Tensor.ones(3), null, null, null, 0.1f, 1e-5f, true));
        // one sample of a [1, C, H, W] batch still has H*W values per channel
        Tensor y = uniform(2, -1, 1, 1, 2, 3, 3).batchNorm(null, null, null, null, 0.1f, 1e-5f, true);
        org.junit.jupiter.api.Assertions.assertEquals(0.0, y.mean().item(), 1e-6);
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])))) {
                org.junit.jupiter.api.Assertions.fail(what + " differs at " + i + ": expected " + expected[i]
                        + ", got " + actual[i]);
            }
        }
    }

    // ---------------------------------------------------------------- linear algebra

    @Test
    void matmul() {
        check("matmul-2d", in -> in[0].matmul(in[1]), uniform(1, -1, 1, 3, 4), uniform(2, -1, 1, 4, 5));
        check("matmul-batched", in -> in[0].matmul(in[1]), uniform(3, -1, 1, 2, 3, 4), uniform(4, -1, 1, 2, 4, 2));
        check("matmul-broadcast", in -> in[0].matmul(in[1]), uniform(5, -1, 1, 2, 3, 4), uniform(6, -1, 1, 4, 2));
        check("matmul-broadcast-left", in -> in[0].matmul(in[1]), uniform(7, -1, 1, 3, 4), uniform(8, -1, 1, 2, 4, 2));
        check("matmul-transposed-view", in -> in[0].transpose(0, 1).matmul(in[1].transpose(0, 1)),
                uniform(9, -1, 1, 4, 3), uniform(10, -1, 1, 5, 4));
    }

    @Test
    void linear() {
        check("linear", in -> Linear.apply(in[0], in[1], in[2], false),
                uniform(1, -1, 1, 3, 4), uniform(2, -1, 1, 4, 5), uniform(3, -1, 1, 5));
        // with ReLU, a small step: the default one (0.01) moves some pre-activations across the kink at 0
        check("linear-relu", in -> Linear.apply(in[0], in[1], in[2], true), 1e-3, 2e-2,
                uniform(4, -1, 1, 3, 4), uniform(5, -1, 1, 4, 5), uniform(6, -1, 1, 5));
        check("linear-relu-batched", in -> Linear.apply(in[0], in[1], in[2], true), 1e-3, 2e-2,
                uniform(7, -1, 1, 2, 3, 4), uniform(8, -1, 1, 4, 5), uniform(9, -1, 1, 5));
        check("linear-no-bias", in -> Linear.apply(in[0], in[1], null, true), 1e-3, 2e-2,
                uniform(10, -1, 1, 3, 4), uniform(11, -1, 1, 4, 5));
    }

    @Test
    void linearIsTheSameFloatsAsMatmulAddRelu() {
        for (boolean relu : new boolean[]{false, true}) {
            Tensor[] fused = {uniform(1, -1, 1, 6, 7).requiresGrad(true), uniform(2, -1, 1, 7, 9).requiresGrad(true),
                    uniform(3, -1, 1, 9).requiresGrad(true)};
            Tensor[] plain = {fused[0].detach().requiresGrad(true), fused[1].detach().requiresGrad(true),
                    fused[2].detach().requiresGrad(true)};
            Tensor upstream = uniform(4, -1, 1, 6, 9);
            Tensor y = Linear.apply(fused[0], fused[1], fused[2], relu);
            Tensor z = plain[0].matmul(plain[1]).add(plain[2]);
            if (relu) z = z.relu();
            assertArrayEquals(z.toArray(), y.toArray(), "forward, relu=" + relu);
            y.mul(upstream).sum().backward();
            z.mul(upstream).sum().backward();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(), "gradient " + i + ", relu=" + relu);
            }
        }
    }

    @Test
    void conv2dWithFusedRelu() {
        int[] one = {1, 1};
        check("conv2d-relu", in -> Conv2d.apply(in[0], in[1], in[2], one, one, one, true), 1e-3, 2e-2,
                uniform(1, -1, 1, 2, 2, 5, 5), uniform(2, -1, 1, 3, 2, 3, 3), uniform(3, -1, 1, 3));
    }

    @Test
    void conv2dWithFusedReluIsTheSameFloatsAsConv2dThenRelu() {
        int[] stride = {2, 1};
        int[] padding = {1, 0};
        int[] dilation = {1, 1};
        Tensor[] fused = {uniform(1, -1, 1, 3, 2, 7, 6).requiresGrad(true), uniform(2, -1, 1, 4, 2, 3, 3).requiresGrad(true),
                uniform(3, -1, 1, 4).requiresGrad(true)};
        Tensor[] plain = {fused[0].detach().requiresGrad(true), fused[1].detach().requiresGrad(true),
                fused[2].detach().requiresGrad(true)};
        Tensor y = Conv2d.apply(fused[0], fused[1], fused[2], stride, padding, dilation, true);
        Tensor z = Conv2d.apply(plain[0], plain[1], plain[2], stride, padding, dilation).relu();
        assertArrayEquals(z.toArray(), y.toArray(), "forward");
        Tensor upstream = uniform(4, -1, 1, y.shape());
        y.mul(upstream).sum().backward();
        z.mul(upstream).sum().backward();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(), "gradient " + i);
        }
    }

    @Test
    void conv2dGroupedDilatedAndAsymmetricallyPadded() {
        // depthwise with a channel multiplier of 2, 'same' for an even kernel (one more pixel bottom and right)
        check("conv2d-depthwise", in -> Conv2d.apply(in[0], in[1], in[2], ConvSpec.same(null, null, 3)),
                uniform(1, -1, 1, 2, 3, 5, 6), uniform(2, -1, 1, 6, 1, 2, 2), uniform(3, -1, 1, 6));
        check("conv2d-groups-dilated-strided", in -> Conv2d.apply(in[0], in[1], in[2],
                        ConvSpec.of(new int[]{2, 1}, new int[]{1, 2, 0, 1}, new int[]{1, 2}, 2)),
                uniform(4, -1, 1, 2, 4, 7, 6), uniform(5, -1, 1, 4, 2, 3, 2), uniform(6, -1, 1, 4));
        check("conv2d-same-stride2-no-bias", in -> Conv2d.apply(in[0], in[1], null,
                        ConvSpec.same(new int[]{2, 2}, null, 1)),
                uniform(7, -1, 1, 1, 2, 6, 5), uniform(8, -1, 1, 3, 2, 3, 3));
        check("conv2d-grouped-relu", in -> Conv2d.apply(in[0], in[1], in[2], ConvSpec.of(1, 1).withGroups(2), true),
                1e-3, 2e-2, uniform(9, -1, 1, 2, 4, 5, 5), uniform(10, -1, 1, 4, 2, 3, 3), uniform(11, -1, 1, 4));
    }

    @Test
    void conv1d() {
        check("conv1d", in -> in[0].conv1d(in[1], in[2], 1, new int[]{1}, 1, 1),
                uniform(1, -1, 1, 2, 3, 8), uniform(2, -1, 1, 4, 3, 3), uniform(3, -1, 1, 4));
        check("conv1d-depthwise-same", in -> in[0].conv1d(in[1], null, ConvSpec.same1d(2, 1, 4)),
                uniform(4, -1, 1, 2, 4, 9), uniform(5, -1, 1, 4, 1, 4));
        check("conv1d-dilated-grouped", in -> in[0].conv1d(in[1], in[2], 2, new int[]{0, 2}, 2, 2),
                uniform(6, -1, 1, 1, 4, 11), uniform(7, -1, 1, 6, 2, 3), uniform(8, -1, 1, 6));
    }

    @Test
    void convSpecShapesAndSamePadding() {
        // TensorFlow: 'same' gives ceil(in / stride) outputs, the odd pixel of padding after
        assertArrayEquals(new int[]{1, 2}, ConvSpec.samePadding(6, 4, 1, 1));
        assertArrayEquals(new int[]{0, 1}, ConvSpec.samePadding(6, 3, 2, 1));
        assertArrayEquals(new int[]{2, 2}, ConvSpec.samePadding(7, 3, 1, 2));
        assertArrayEquals(new int[]{0, 0}, ConvSpec.samePadding(7, 1, 3, 1));
        ConvSpec same = ConvSpec.same(new int[]{2, 3}, null, 1);
        assertArrayEquals(new int[]{4, 8, 4, 3}, same.outputShape(new int[]{4, 3, 7, 9}, new int[]{8, 3, 4, 4}));
        assertArrayEquals(new int[]{2, 6, 3, 3},
                ConvSpec.DEFAULT.withGroups(3).outputShape(new int[]{2, 3, 5, 5}, new int[]{6, 1, 3, 3}));
        Tensor x = uniform(1, -1, 1, 2, 4, 5, 5);
        dev.nabla.tensor.ShapeException wrongGroups = org.junit.jupiter.api.Assertions.assertThrows(
                dev.nabla.tensor.ShapeException.class,
                () -> x.conv2d(uniform(2, -1, 1, 6, 4, 3, 3), null, ConvSpec.DEFAULT.withGroups(2)));
        org.junit.jupiter.api.Assertions.assertTrue(wrongGroups.getMessage().contains("groups"),
                wrongGroups.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(dev.nabla.tensor.ShapeException.class,
                () -> x.conv2d(uniform(2, -1, 1, 6, 4, 7, 7), null, ConvSpec.DEFAULT));
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void sum() {
        check("sum-all", in -> in[0].sum(), uniform(1, -1, 1, 3, 4));
        check("sum-axis", in -> in[0].sum(1, false), uniform(2, -1, 1, 2, 3, 4));
        check("sum-leading-keepdims", in -> in[0].sum(new int[]{0, 1}, true), uniform(3, -1, 1, 2, 3, 4));
        check("sum-outer-axes", in -> in[0].sum(new int[]{0, 2}, false), uniform(4, -1, 1, 2, 3, 4));
    }

    @Test
    void mean() {
        check("mean-all", in -> in[0].mean(), uniform(1, -1, 1, 3, 4));
        check("mean-axis", in -> in[0].mean(-1, true), uniform(2, -1, 1, 3, 4));
    }

    @Test
    void max() {
        check("max-all", in -> in[0].max(), uniform(1, -1, 1, 3, 4));
        check("max-axis", in -> in[0].max(0, false), uniform(2, -1, 1, 3, 4));
        check("max-axes", in -> in[0].max(new int[]{1, 2}, true), uniform(3, -1, 1, 2, 3, 4));
    }

    @Test
    void globalMaxPool() {
        // values at least 0.05 apart, so that the finite differences' steps never change which one is the maximum
        check("globalMaxPool-2d", in -> in[0].globalMaxPool(), distinct(1, 2, 3, 4, 5));
        check("globalMaxPool-1d", in -> in[0].globalMaxPool(), distinct(2, 3, 2, 6));
        // ties: the first maximum gets the whole gradient
        Tensor x = Tensor.of(new float[]{1, 3, 3, 0, 2, 2, 2, 2}, 1, 2, 2, 2).requiresGrad(true);
        Tensor y = x.globalMaxPool();
        assertArrayEquals(new int[]{1, 2}, y.shape());
        assertArrayEquals(new float[]{3, 2}, y.toArray());
        y.sum().backward();
        assertArrayEquals(new float[]{0, 1, 0, 0, 1, 0, 0, 0}, x.grad().toArray());
        // enough planes to split over threads: each plane's maximum, and its gradient at exactly that position
        Tensor wide = uniform(3, -1, 1, 16, 8, 32, 32).requiresGrad(true);
        Tensor pooled = wide.globalMaxPool();
        pooled.sum().backward();
        float[] w = wide.toArray();
        float[] p = pooled.toArray();
        float[] g = wide.grad().toArray();
        for (int plane = 0; plane < 16 * 8; plane++) {
            int best = plane * 1024;
            for (int i = plane * 1024; i < (plane + 1) * 1024; i++) if (w[i] > w[best]) best = i;
            org.junit.jupiter.api.Assertions.assertEquals(w[best], p[plane], "plane " + plane);
            for (int i = plane * 1024; i < (plane + 1) * 1024; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(i == best ? 1f : 0f, g[i], "plane " + plane + " at " + i);
            }
        }
    }

    /** Values 0.05 apart (a shuffled ramp around 0), in the given shape. */
    private static Tensor distinct(long seed, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2) * 0.05f;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    // ---------------------------------------------------------------- shape and indexing

    @Test
    void reshape() {
        check("reshape", in -> in[0].reshape(4, -1).mul(in[0].reshape(4, 3)), uniform(1, -1, 1, 2, 6));
        check("reshape-of-view", in -> in[0].transpose(0, 1).reshape(-1), uniform(2, -1, 1, 3, 4));
    }

    @Test
    void permuteAndTranspose() {
        check("permute", in -> in[0].permute(2, 0, 1).contiguous(), uniform(1, -1, 1, 2, 3, 4));
        check("transpose", in -> in[0].transpose(0, 1).exp(), uniform(2, -1, 1, 3, 4));
    }

    @Test
    void sliceAndNarrow() {
        check("slice", in -> in[0].slice(1, 3).square(), uniform(1, -1, 1, 4, 3));
        check("narrow", in -> in[0].narrow(1, 1, 2).square(), uniform(2, -1, 1, 2, 4, 3));
    }

    @Test
    void concatAndStack() {
        check("concat", in -> Tensor.concat(1, in[0], in[1]).square(), uniform(1, -1, 1, 2, 3), uniform(2, -1, 1, 2, 2));
        check("stack", in -> Tensor.stack(0, in[0], in[1]).square(), uniform(3, -1, 1, 2, 3), uniform(4, -1, 1, 2, 3));
    }

    @Test
    void indexSelect() {
        check("indexSelect-rows", in -> in[0].indexSelect(0, new int[]{2, 0, 2, 1}).square(), uniform(1, -1, 1, 3, 4));
        check("indexSelect-cols", in -> in[0].indexSelect(1, new int[]{3, 3, 0}), uniform(2, -1, 1, 2, 4));
    }

    @Test
    void gather() {
        Tensor index = Tensor.of(new float[]{1, 0, 3, 3, 2, 0}, 3, 2);
        check("gather", in -> in[0].gather(1, index).square(), uniform(1, -1, 1, 3, 4));
    }

    @Test
    void broadcastTo() {
        check("broadcastTo", in -> in[0].broadcastTo(2, 3, 4).square(), uniform(1, -1, 1, 3, 1));
    }

    @Test
    void copyOfView() {
        check("contiguous", in -> in[0].transpose(0, 1).contiguous().square(), uniform(1, -1, 1, 3, 2));
    }
}
