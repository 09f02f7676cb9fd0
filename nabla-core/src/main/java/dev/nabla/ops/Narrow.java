package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** {@code length} entries from {@code start} along one axis, as a view; a batch is a narrow of axis 0. */
public final class Narrow extends Function {

    private final int[] inputShape;
    private final int axis;
    private final int start;

    private Narrow(int[] inputShape, int axis, int start) {
        this.inputShape = inputShape;
        this.axis = axis;
        this.start = start;
    }

    public static Tensor apply(Tensor x, int axis, int start, int length) {
        if (x.rank() == 0) throw new ShapeException("narrow: cannot slice a scalar");
        int a = Shape.axis("narrow", axis, x.rank());
        int[] shape = x.shape();
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new ShapeException("narrow: range [" + start + ", " + (start + length) + ") is outside axis " + a
                    + " of shape " + Shape.str(shape));
        }
        int[] strides = x.strides();
        shape[a] = length;
        Tensor out = Tensor.view(x.data(), x.offset() + start * strides[a], shape, strides);
        return needsGrad(x) ? new Narrow(x.shape(), a, start).record(out, x) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor full = Tensor.zeros(inputShape);
        Tensor window = apply(full, axis, start, g.shape(axis));
        Scatter.addInto(window, g);
        return new Tensor[]{full};
    }
}
