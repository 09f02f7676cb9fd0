package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.ConvGeometry;
import dev.nabla.kernel.ConvReluPoolKernels;
import dev.nabla.kernel.PoolGeometry;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * {@code maxPool2d(relu(conv2d(x, weight) + bias))} as one op on the native kernels ({@link ConvReluPoolKernels}):
 * the convolution's output, the largest tensor of a small CNN, never becomes a Java array. Values and gradients are
 * those of the three ops in a row, up to float rounding in the convolution's sums. The convolution may be anything
 * {@link ConvSpec} describes; {@link #supports} says whether the block runs a given call, where {@code apply} would
 * otherwise return null.
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
     * The block with per-direction {@code {h, w}} convolution stride and padding ({@code {h, w}} or
     * {@code {top, bottom, left, right}}) and pooling kernel and stride (pooling unpadded); {@code bias} may be null.
     * Returns null where the native block cannot run it (see {@link #supports}), and the caller then applies
     * {@link Conv2d} with ReLU and {@link MaxPool2d} itself.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] poolKernel,
                               int[] poolStride) {
        return apply(x, weight, bias, ConvSpec.of(stride, padding, null, 1), poolKernel, poolStride);
    }

    /**
     * {@code maxPool2d(relu(conv2d(x, weight, bias, spec)), poolKernel, poolStride)} (pooling unpadded, kernel and
     * stride {@code {h, w}}) as one op; {@code bias} may be null. Returns null, having done nothing, exactly where
     * {@link #supports(Tensor, Tensor, Tensor, ConvSpec, int[], int[])} with the same arguments says false. Throws a
     * {@link ShapeException} for shapes that fit neither this op nor the two it replaces.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, int[] poolKernel,
                               int[] poolStride) {
        if (!ConvReluPoolKernels.available()) return null;
        Geometries gs = geometries(x.shape(), weight.shape(), bias == null ? null : bias.shape(), spec, poolKernel,
                poolStride);
        ConvGeometry conv = gs.conv();
        PoolGeometry pool = gs.pool();
        boolean training = needsGrad(x, weight, bias);
        Tensor wc = weight.materialize(false);
        float[] out = StepArena.floats(pool.outputSize());
        ConvReluPoolKernels.Saved state = ConvReluPoolKernels.forward(conv, pool,
                Conv2d.denseArray(x.materialize(false)), Conv2d.denseArray(wc), bias == null ? null : bias.toArray(),
                out, training);
        if (state == null) return null;
        Tensor result = Tensor.wrap(out, pool.batch(), pool.channels(), pool.outH(), pool.outW());
        if (!training) return result;
        Conv2dReluMaxPool fn = new Conv2dReluMaxPool(conv, pool, bias != null, wc.detach(), state);
        return bias == null ? fn.record(result, x, weight) : fn.record(result, x, weight, bias);
    }

    /**
     * Whether {@link #apply(Tensor, Tensor, Tensor, ConvSpec, int[], int[])} with these arguments runs the fused block
     * (and so returns non-null): the native kernels are loaded and fusing is not switched off, the shapes fit, oneDNN
     * sets up the block for this geometry (any stride, padding, dilation and groups; the primitives are built now and
     * kept), and, when gradients will be recorded (grad mode on and an argument requiring one), the batch fits one
     * native chunk. False, rather than an exception, for shapes that do not fit; the two-op path then reports them.
     */
    public static boolean supports(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, int[] poolKernel,
                                   int[] poolStride) {
        return supports(x.shape(), weight.shape(), bias != null, spec, poolKernel, poolStride,
                needsGrad(x, weight, bias));
    }

    /**
     * The same from shapes: {@code training} says whether the forward pass will keep state for a backward one (in
     * {@code apply}: grad mode on and an input requiring a gradient).
     */
    public static boolean supports(int[] inputShape, int[] weightShape, boolean bias, ConvSpec spec, int[] poolKernel,
                                   int[] poolStride, boolean training) {
        if (!ConvReluPoolKernels.available()) return false;
        Geometries gs;
        try {
            gs = geometries(inputShape, weightShape, bias ? new int[]{weightShape.length == 4 ? weightShape[0] : -1}
                    : null, spec, poolKernel, poolStride);
        } catch (IllegalArgumentException doesNotFit) {
            return false;
        }
        return ConvReluPoolKernels.supports(gs.conv(), gs.pool(), bias, training);
    }

    private record Geometries(ConvGeometry conv, PoolGeometry pool) {
    }

    private static Geometries geometries(int[] xs, int[] ws, int[] biasShape, ConvSpec spec, int[] poolKernel,
                                         int[] poolStride) {
        ConvGeometry conv = spec.geometry(xs, ws);
        if (biasShape != null && (biasShape.length != 1 || biasShape[0] != ws[0])) {
            throw new ShapeException("conv2d: bias " + Shape.str(biasShape) + " must be [" + ws[0] + "]");
        }
        if (poolKernel.length != 2 || poolStride.length != 2) {
            throw new IllegalArgumentException("max_pool2d: kernel and stride need 2 values ({h, w})");
        }
        PoolGeometry pool = new PoolGeometry("max_pool2d", conv.batch(), conv.outChannels(), conv.outH(),
                conv.outW(), poolKernel[0], poolKernel[1], poolStride[0], poolStride[1], 0, 0);
        return new Geometries(conv, pool);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Conv2d.denseArray(gradOutput.materialize(false));
        float[] gi = needsInputGrad(0) ? StepArena.floats(conv.inputSize()) : null;
        float[] gw = StepArena.floats(conv.weightSize());
        float[] gb = hasBias ? StepArena.floats(conv.outChannels()) : null;
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
