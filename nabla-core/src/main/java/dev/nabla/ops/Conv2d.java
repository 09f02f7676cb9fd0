package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Conv2dKernels;
import dev.nabla.kernel.ConvGeometry;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, like PyTorch's {@code conv2d}) over NCHW input with an
 * {@code [outChannels, inChannels, kernelH, kernelW]} weight and an optional bias per output channel. The kernels
 * (im2col and GEMM) are in {@link Conv2dKernels}.
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

    /** Convolution with per-direction {@code {h, w}} stride, padding and dilation; {@code bias} may be null. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        return apply(x, weight, bias, stride, padding, dilation, false);
    }

    /**
     * The same, followed by ReLU when {@code relu} is set: applied in place to the convolution's fresh output, so a
     * convolutional layer allocates and sweeps one output instead of two. The floats, forward and backward, are those
     * of {@code conv2d(...).relu()}.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                               boolean relu) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        if (xs.length != 4 || ws.length != 4) {
            throw new ShapeException("conv2d: needs input [N, C, H, W] and weight [F, C, KH, KW], got "
                    + Shape.str(xs) + " and " + Shape.str(ws));
        }
        if (xs[1] != ws[1]) {
            throw new ShapeException("conv2d: input " + Shape.str(xs) + " has " + xs[1] + " channels but weight "
                    + Shape.str(ws) + " expects " + ws[1]);
        }
        if (bias != null && (bias.rank() != 1 || bias.shape(0) != ws[0])) {
            throw new ShapeException("conv2d: bias " + Shape.str(bias.shape()) + " must be [" + ws[0] + "]");
        }
        ConvGeometry g = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        Tensor xc = x.materialize(false);
        Tensor wc = weight.materialize(false);
        float[] out = new float[g.outputSize()];
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
            float[] gi = new float[geometry.inputSize()];
            Conv2dKernels.backwardInput(geometry, g, denseArray(weight), gi);
            gradInput = Tensor.wrap(gi, input.shape());
        }
        Tensor gradWeight = null;
        Tensor gradBias = null;
        boolean wantBias = hasBias && needsInputGrad(2);
        if (needsInputGrad(1) || wantBias) {
            float[] gw = new float[geometry.weightSize()];
            float[] gb = wantBias ? new float[geometry.outChannels()] : null;
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
