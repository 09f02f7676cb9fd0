package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/** Repeats a tensor along size-1 (or missing leading) dimensions to a larger shape, as a new contiguous tensor. */
public final class BroadcastTo extends Function {

    private final int[] inputShape;

    private BroadcastTo(int[] inputShape) {
        this.inputShape = inputShape;
    }

    public static Tensor apply(Tensor x, int... target) {
        int[] shape = x.shape();
        if (Arrays.equals(shape, target)) return x;
        int[] outShape = Shape.broadcast("broadcastTo", shape, target);
        if (!Arrays.equals(outShape, target)) {
            throw new ShapeException("broadcastTo: shape " + Shape.str(shape) + " cannot be broadcast to " + Shape.str(target));
        }
        int lead = target.length - shape.length;
        int[] strides = new int[target.length];
        int[] own = x.strides();
        for (int i = 0; i < shape.length; i++) strides[lead + i] = shape[i] == 1 ? 0 : own[i];
        // the step's own array inside a training step, as every op's output (Dense.copy)
        Tensor out = Tensor.wrap(Dense.copy(Tensor.view(x.data(), x.offset(), target, strides)), target);
        return needsGrad(x) ? new BroadcastTo(shape).record(out, x) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.sumToShape(inputShape)};
    }
}
