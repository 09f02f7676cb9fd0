package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Conv2dKernels;
import dev.nabla.kernel.ConvGeometry;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, like PyTorch's {@code conv2d}) over NCHW input with an
 * {@code [outChannels, inChannels/groups, kernelH, kernelW]} weight and an optional bias per output channel: any
 * kernel size, stride and dilation per axis, padding per side (so TensorFlow's {@code 'same'} for even kernels and
 * strides too, see {@link ConvSpec}), and groups ({@code groups == inChannels}: depthwise). The kernels are in
 * {@link Conv2dKernels}: oneDNN's convolution primitives with the native kernels, im2col and GEMM (one GEMM per group)
 * in pure Java, both for every geometry.
 */
public final class Conv2d extends Function {

    private final ConvGeometry geometry;
    private Tensor input;
    private Tensor weight;
    private final boolean hasBias;
    /** The output after a fused ReLU (positive exactly where ReLU's input was), or null without one. */
    private Tensor reluOutput;

    private Conv2d(ConvGeometry geometry, Tensor input, Tensor weight, boolean hasBias) {
        this.geometry = geometry;
        this.input = input;
        this.weight = weight;
        this.hasBias = hasBias;
    }

    /**
     * Convolution with per-direction {@code {h, w}} stride and dilation and padding {@code {h, w}} (both sides) or
     * {@code {top, bottom, left, right}}; {@code bias} may be null.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        return apply(x, weight, bias, ConvSpec.of(stride, padding, dilation, 1), false);
    }

    /**
     * The same, followed by ReLU when {@code relu} is set: applied in place to the convolution's fresh output, so a
     * convolutional layer allocates and sweeps one output instead of two. The floats, forward and backward, are those
     * of {@code conv2d(...).relu()}.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                               boolean relu) {
        return apply(x, weight, bias, ConvSpec.of(stride, padding, dilation, 1), relu);
    }

    /** The same with {@code groups}: weight {@code [F, C/groups, KH, KW]}. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                               int groups, boolean relu) {
        return apply(x, weight, bias, ConvSpec.of(stride, padding, dilation, groups), relu);
    }

    /** Convolution as {@code spec} says; {@code bias} may be null. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
        return apply(x, weight, bias, spec, false);
    }

    /**
     * Convolution of {@code x [N, C, H, W]} with {@code weight [F, C/groups, KH, KW]} and {@code bias [F]} (or null)
     * as {@code spec} says, followed by ReLU when {@code relu} is set (in place on the fresh output; the floats,
     * forward and backward, are those of {@code conv2d(...).relu()}). Output {@code [N, F, outH, outW]}, see
     * {@link ConvSpec#outputShape}.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, boolean relu) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        ConvGeometry g = spec.geometry(xs, ws);
        if (bias != null && (bias.rank() != 1 || bias.shape(0) != ws[0])) {
            throw new ShapeException("conv2d: bias " + Shape.str(bias.shape()) + " must be [" + ws[0] + "]");
        }
        Tensor xc = x.materialize(false);
        Tensor wc = weight.materialize(false);
        float[] out = StepArena.floats(g.outputSize());
        Conv2dKernels.forward(g, denseArray(xc), denseArray(wc), bias == null ? null : bias.toArray(), out, relu);
        Tensor result = Tensor.wrap(out, g.batch(), g.outChannels(), g.outH(), g.outW());
        if (!needsGrad(x, weight, bias)) return result;
        Conv2d fn = new Conv2d(g, xc.detach(), wc.detach(), bias != null);
        if (relu) fn.reluOutput = result.detach();
        return bias == null ? fn.record(result, x, weight) : fn.record(result, x, weight, bias);
    }

    /** The kernels take whole arrays from index 0, so a contiguous view that starts later is copied. */
    static float[] denseArray(Tensor contiguous) {
        return contiguous.offset() == 0 && contiguous.data().length == contiguous.size()
                ? contiguous.data() : contiguous.toArray();
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = denseArray(gradOutput.materialize(false));
        if (reluOutput != null) g = Relu.maskedGradient(g, reluOutput.data());
        Tensor gradInput = null;
        if (needsInputGrad(0)) {
            float[] gi = StepArena.floats(geometry.inputSize());
            Conv2dKernels.backwardInput(geometry, g, denseArray(weight), gi);
            gradInput = Tensor.wrap(gi, input.shape());
        }
        Tensor gradWeight = null;
        Tensor gradBias = null;
        boolean wantBias = hasBias && needsInputGrad(2);
        if (needsInputGrad(1) || wantBias) {
            float[] gw = StepArena.floats(geometry.weightSize());
            float[] gb = wantBias ? StepArena.floats(geometry.outChannels()) : null;
            Conv2dKernels.backwardWeight(geometry, denseArray(input), g, gw, gb);
            gradWeight = needsInputGrad(1) ? Tensor.wrap(gw, weight.shape()) : null;
            gradBias = gb == null ? null : Tensor.wrap(gb, geometry.outChannels());
        }
        return hasBias ? new Tensor[]{gradInput, gradWeight, gradBias} : new Tensor[]{gradInput, gradWeight};
    }

    @Override
    protected void releaseSaved() {
        input = null;
        weight = null;
        reluOutput = null;
    }
}
