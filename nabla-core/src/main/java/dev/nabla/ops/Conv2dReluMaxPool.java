package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.ConvGeometry;
import dev.nabla.kernel.ConvReluPoolKernels;
import dev.nabla.kernel.PoolGeometry;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * {@code maxPool2d(relu(conv2d(x, weight) + bias))} as one op on the native kernels ({@link ConvReluPoolKernels}):
 * the convolution's output, the largest tensor of a small CNN, never becomes a Java array. Values and gradients are
 * those of the three ops in a row, up to float rounding in the convolution's sums.
 */
public final class Conv2dReluMaxPool extends Function {

    private final ConvGeometry conv;
    private final PoolGeometry pool;
    private final boolean hasBias;
    private Tensor weight;
    private ConvReluPoolKernels.Saved saved;

    private Conv2dReluMaxPool(ConvGeometry conv, PoolGeometry pool, boolean hasBias, Tensor weight,
                              ConvReluPoolKernels.Saved saved) {
        this.conv = conv;
        this.pool = pool;
        this.hasBias = hasBias;
        this.weight = weight;
        this.saved = saved;
    }

    /**
     * The block with per-direction {@code {h, w}} convolution stride and padding and pooling kernel and stride
     * (pooling unpadded); {@code bias} may be null. Returns null where the native block cannot run it, and the caller
     * then applies {@link Conv2d} with ReLU and {@link MaxPool2d} itself.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] poolKernel,
                               int[] poolStride) {
        if (!ConvReluPoolKernels.available()) return null;
        int[] xs = x.shape();
        int[] ws = weight.shape();
        if (xs.length != 4 || ws.length != 4 || xs[1] != ws[1]) {
            throw new ShapeException("conv2d: needs input [N, C, H, W] and weight [F, C, KH, KW] with the same C, got "
                    + Shape.str(xs) + " and " + Shape.str(ws));
        }
        if (bias != null && (bias.rank() != 1 || bias.shape(0) != ws[0])) {
            throw new ShapeException("conv2d: bias " + Shape.str(bias.shape()) + " must be [" + ws[0] + "]");
        }
        ConvGeometry conv = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
                stride[0], stride[1], padding[0], padding[1], 1, 1);
        PoolGeometry pool = new PoolGeometry("max_pool2d", conv.batch(), conv.outChannels(), conv.outH(),
                conv.outW(), poolKernel[0], poolKernel[1], poolStride[0], poolStride[1], 0, 0);
        boolean training = needsGrad(x, weight, bias);
        Tensor wc = weight.materialize(false);
        float[] out = new float[pool.outputSize()];
        ConvReluPoolKernels.Saved state = ConvReluPoolKernels.forward(conv, pool,
                Conv2d.denseArray(x.materialize(false)), Conv2d.denseArray(wc), bias == null ? null : bias.toArray(),
                out, training);
        if (state == null) return null;
        Tensor result = Tensor.wrap(out, pool.batch(), pool.channels(), pool.outH(), pool.outW());
        if (!training) return result;
        Conv2dReluMaxPool fn = new Conv2dReluMaxPool(conv, pool, bias != null, wc.detach(), state);
        return bias == null ? fn.record(result, x, weight) : fn.record(result, x, weight, bias);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Conv2d.denseArray(gradOutput.materialize(false));
        float[] gi = needsInputGrad(0) ? new float[conv.inputSize()] : null;
        float[] gw = new float[conv.weightSize()];
        float[] gb = hasBias ? new float[conv.outChannels()] : null;
        ConvReluPoolKernels.backward(saved, conv, pool, g, Conv2d.denseArray(weight), gi, gw, gb);
        Tensor gradInput = gi == null ? null
                : Tensor.wrap(gi, conv.batch(), conv.inChannels(), conv.height(), conv.width());
        Tensor gradWeight = needsInputGrad(1) ? Tensor.wrap(gw, weight.shape()) : null;
        if (!hasBias) return new Tensor[]{gradInput, gradWeight};
        Tensor gradBias = needsInputGrad(2) ? Tensor.wrap(gb, conv.outChannels()) : null;
        return new Tensor[]{gradInput, gradWeight, gradBias};
    }

    @Override
    protected void releaseSaved() {
        if (saved != null) saved.close();
        saved = null;
        weight = null;
    }
}
