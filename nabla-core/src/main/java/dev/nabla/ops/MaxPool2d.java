package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Pool2dKernels;
import dev.nabla.kernel.PoolGeometry;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** 2-D max pooling over NCHW input; the gradient goes to the position that held each window's maximum. */
public final class MaxPool2d extends Function {

    private final PoolGeometry geometry;
    private final int[] inputShape;
    private int[] argmax;

    private MaxPool2d(PoolGeometry geometry, int[] inputShape, int[] argmax) {
        this.geometry = geometry;
        this.inputShape = inputShape;
        this.argmax = argmax;
    }

    /** Max pooling with per-direction {@code {h, w}} kernel, stride and padding. */
    public static Tensor apply(Tensor x, int[] kernel, int[] stride, int[] padding) {
        PoolGeometry g = geometry("max_pool2d", x, kernel, stride, padding);
        float[] out = StepArena.floats(g.outputSize());
        int[] argmax = new int[g.outputSize()];
        Pool2dKernels.maxPoolForward(g, Conv2d.denseArray(x.materialize(false)), out, argmax);
        Tensor result = Tensor.wrap(out, g.batch(), g.channels(), g.outH(), g.outW());
        return needsGrad(x) ? new MaxPool2d(g, x.shape(), argmax).record(result, x) : result;
    }

    static PoolGeometry geometry(String op, Tensor x, int[] kernel, int[] stride, int[] padding) {
        int[] s = x.shape();
        if (s.length != 4) throw new ShapeException(op + ": needs input [N, C, H, W], got " + Shape.str(s));
        return new PoolGeometry(op, s[0], s[1], s[2], s[3], kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1]);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gi = StepArena.floats(geometry.inputSize());
        Pool2dKernels.maxPoolBackward(geometry, Conv2d.denseArray(gradOutput.materialize(false)), argmax, gi);
        return new Tensor[]{Tensor.wrap(gi, inputShape)};
    }

    @Override
    protected void releaseSaved() {
        argmax = null;
    }
}
