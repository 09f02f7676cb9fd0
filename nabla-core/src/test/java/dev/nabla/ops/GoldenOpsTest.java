package dev.nabla.ops;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Forward and backward values against PyTorch 1.13 (fixtures made by {@code golden/make_golden.py}): the output, and
 * the gradient of {@code sum(out * gout)} with respect to each input.
 */
class GoldenOpsTest {

    static List<Golden.Case> softmax() { return Golden.load("softmax.txt"); }
    static List<Golden.Case> gelu() { return Golden.load("gelu.txt"); }
    static List<Golden.Case> matmul() { return Golden.load("matmul.txt"); }
    static List<Golden.Case> conv2d() { return Golden.load("conv2d.txt"); }
    static List<Golden.Case> pool() { return Golden.load("pool.txt"); }
    static List<Golden.Case> convGeneral() { return Golden.load("conv_general.txt"); }
    static List<Golden.Case> conv1d() { return Golden.load("conv1d.txt"); }
    static List<Golden.Case> activations() { return Golden.load("activations.txt"); }
    static List<Golden.Case> globalPool() { return Golden.load("global_pool.txt"); }
    static List<Golden.Case> batchNorm() { return Golden.load("batchnorm.txt"); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("softmax")
    void softmaxAndLogSoftmax(Golden.Case c) {
        int dim = Integer.parseInt(c.param("dim"));
        boolean log = c.param("op").equals("log_softmax");
        verify(c, in -> log ? in[0].logSoftmax(dim) : in[0].softmax(dim), "x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gelu")
    void gelu(Golden.Case c) {
        boolean tanh = c.param("approximate").equals("tanh");
        verify(c, in -> tanh ? in[0].geluTanh() : in[0].gelu(), "x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activations(Golden.Case c) {
        switch (c.param("op")) {
            case "silu" -> verify(c, in -> in[0].silu(), "x");
            case "mish" -> verify(c, in -> in[0].mish(), "x");
            case "softplus" -> {
                float beta = Float.parseFloat(c.param("beta"));
                float threshold = Float.parseFloat(c.param("threshold"));
                verify(c, in -> in[0].softplus(beta, threshold), "x");
            }
            case "prelu" -> verify(c, in -> in[0].prelu(in[1]), "x", "alpha");
            default -> fail("unknown op " + c.param("op"));
        }
    }

    /** Including ties, whose gradient goes to the first maximum as in PyTorch's adaptive_max_pool2d. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("globalPool")
    void globalMaxPool(Golden.Case c) {
        verify(c, in -> in[0].globalMaxPool(), "x");
    }

    /** Output, gradients of x, gamma and beta, and (training) the running statistics updated in place. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNorm")
    void batchNorm(Golden.Case c) {
        boolean training = Boolean.parseBoolean(c.param("training"));
        boolean affine = Boolean.parseBoolean(c.param("affine"));
        float momentum = Float.parseFloat(c.param("momentum"));
        float eps = Float.parseFloat(c.param("eps"));
        Tensor runningMean = toTensor(c.tensor("running_mean"));
        Tensor runningVar = toTensor(c.tensor("running_var"));
        if (affine) {
            verify(c, in -> in[0].batchNorm(in[1], in[2], runningMean, runningVar, momentum, eps, training),
                    "x", "gamma", "beta");
        } else {
            verify(c, in -> in[0].batchNorm(null, null, runningMean, runningVar, momentum, eps, training), "x");
        }
        assertClose(c.name() + " running_mean", c.tensor("running_mean_after").values(), runningMean.toArray());
        assertClose(c.name() + " running_var", c.tensor("running_var_after").values(), runningVar.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmul")
    void matmul(Golden.Case c) {
        verify(c, in -> in[0].matmul(in[1]), "a", "bm");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conv2d")
    void conv2d(Golden.Case c) {
        int[] stride = c.intsParam("stride");
        int[] padding = c.intsParam("padding");
        int[] dilation = c.intsParam("dilation");
        if (Boolean.parseBoolean(c.param("bias"))) {
            verify(c, in -> Conv2d.apply(in[0], in[1], in[2], stride, padding, dilation), "x", "w", "b");
        } else {
            verify(c, in -> Conv2d.apply(in[0], in[1], null, stride, padding, dilation), "x", "w");
        }
    }

    /** Groups (depthwise), dilation and padding per side ({top, bottom, left, right}: TensorFlow's 'same'). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("convGeneral")
    void convGroupedDilatedAndAsymmetric(Golden.Case c) {
        ConvSpec spec = ConvSpec.of(c.intsParam("stride"), c.intsParam("padding"), c.intsParam("dilation"),
                Integer.parseInt(c.param("groups")));
        if (Boolean.parseBoolean(c.param("bias"))) {
            verify(c, in -> in[0].conv2d(in[1], in[2], spec), "x", "w", "b");
        } else {
            verify(c, in -> in[0].conv2d(in[1], null, spec), "x", "w");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conv1d")
    void conv1d(Golden.Case c) {
        int stride = Integer.parseInt(c.param("stride"));
        int[] padding = c.intsParam("padding");
        int dilation = Integer.parseInt(c.param("dilation"));
        int groups = Integer.parseInt(c.param("groups"));
        if (Boolean.parseBoolean(c.param("bias"))) {
            verify(c, in -> in[0].conv1d(in[1], in[2], stride, padding, dilation, groups), "x", "w", "b");
        } else {
            verify(c, in -> in[0].conv1d(in[1], null, stride, padding, dilation, groups), "x", "w");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pool")
    void pool(Golden.Case c) {
        int[] kernel = c.intsParam("kernel");
        int[] stride = c.intsParam("stride");
        int[] padding = c.intsParam("padding");
        boolean max = c.param("op").equals("max_pool2d");
        verify(c, in -> max ? MaxPool2d.apply(in[0], kernel, stride, padding)
                : AvgPool2d.apply(in[0], kernel, stride, padding), "x");
    }

    private static void verify(Golden.Case c, Function<Tensor[], Tensor> op, String... inputNames) {
        Tensor[] inputs = new Tensor[inputNames.length];
        for (int i = 0; i < inputs.length; i++) inputs[i] = toTensor(c.tensor(inputNames[i])).requiresGrad(true);
        Tensor out = op.apply(inputs);
        Golden.Tensor expected = c.tensor("out");
        assertArrayEquals(expected.shape(), out.shape(), c.name() + ": output shape");
        assertClose(c.name() + " out", expected.values(), out.toArray());
        out.backward(toTensor(c.tensor("gout")));
        for (int i = 0; i < inputs.length; i++) {
            Golden.Tensor grad = c.tensor("grad_" + inputNames[i]);
            assertArrayEquals(grad.shape(), inputs[i].grad().shape(), c.name() + ": grad_" + inputNames[i] + " shape");
            assertClose(c.name() + " grad_" + inputNames[i], grad.values(), inputs[i].grad().toArray());
        }
    }

    private static Tensor toTensor(Golden.Tensor t) {
        return t.shape().length == 0 ? Tensor.scalar(t.values()[0]) : Tensor.of(t.values(), t.shape());
    }

    /** Within float rounding of PyTorch's result: 1e-5 relative, 1e-5 absolute. */
    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 + 1e-5 * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                fail(what + "[" + i + "]: PyTorch " + expected[i] + ", Nabla " + actual[i]);
            }
        }
    }
}
