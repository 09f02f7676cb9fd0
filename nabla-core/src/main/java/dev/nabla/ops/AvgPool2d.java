package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Pool2dKernels;
import dev.nabla.kernel.PoolGeometry;
import dev.nabla.tensor.Tensor;

/** 2-D average pooling over NCHW input; padding counts as zeros in the average, as PyTorch does by default. */
public final class AvgPool2d extends Function {

    private final PoolGeometry geometry;
    private final int[] inputShape;

    private AvgPool2d(PoolGeometry geometry, int[] inputShape) {
        this.geometry = geometry;
        this.inputShape = inputShape;
    }

    /** Average pooling with per-direction {@code {h, w}} kernel, stride and padding. */
    public static Tensor apply(Tensor x, int[] kernel, int[] stride, int[] padding) {
        PoolGeometry g = MaxPool2d.geometry("avg_pool2d", x, kernel, stride, padding);
        float[] out = new float[g.outputSize()];
        Pool2dKernels.avgPoolForward(g, Conv2d.denseArray(x.materialize(false)), out);
        Tensor result = Tensor.wrap(out, g.batch(), g.channels(), g.outH(), g.outW());
        return needsGrad(x) ? new AvgPool2d(g, x.shape()).record(result, x) : result;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gi = new float[geometry.inputSize()];
        Pool2dKernels.avgPoolBackward(geometry, Conv2d.denseArray(gradOutput.materialize(false)), gi);
        return new Tensor[]{Tensor.wrap(gi, inputShape)};
    }
}
