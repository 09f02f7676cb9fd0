package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** Reorders dimensions without copying: a strided view. */
public final class Permute extends Function {

    private final int[] inverse;

    private Permute(int[] inverse) {
        this.inverse = inverse;
    }

    public static Tensor apply(Tensor x, int... order) {
        int rank = x.rank();
        if (order.length != rank) {
            throw new ShapeException("permute: order " + Shape.str(order) + " does not match rank " + rank
                    + " of shape " + Shape.str(x.shape()));
        }
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] newShape = new int[rank];
        int[] newStrides = new int[rank];
        int[] inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int axis = Shape.axis("permute", order[i], rank);
            if (seen[axis]) throw new ShapeException("permute: axis " + order[i] + " repeated in " + Shape.str(order));
            seen[axis] = true;
            newShape[i] = shape[axis];
            newStrides[i] = strides[axis];
            inverse[axis] = i;
        }
        Tensor out = Tensor.view(x.data(), x.offset(), newShape, newStrides);
        return needsGrad(x) ? new Permute(inverse).record(out, x) : out;
    }

    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int rank = x.rank();
        int a = Shape.axis("transpose", axis0, rank);
        int b = Shape.axis("transpose", axis1, rank);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return apply(x, order);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.permute(inverse)};
    }
}
