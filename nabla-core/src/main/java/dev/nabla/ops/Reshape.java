package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** The same elements in a new shape (one dimension may be -1); a view of contiguous data, else a copy. */
public final class Reshape extends Function {

    private final int[] inputShape;

    private Reshape(int[] inputShape) {
        this.inputShape = inputShape;
    }

    public static Tensor apply(Tensor x, int... requested) {
        int[] shape = resolve(x, requested);
        Tensor source = x.materialize(false);
        Tensor out = Tensor.view(source.data(), source.offset(), shape, Shape.contiguousStrides(shape));
        return needsGrad(x) ? new Reshape(x.shape()).record(out, x) : out;
    }

    private static int[] resolve(Tensor x, int[] requested) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) throw new ShapeException("reshape: more than one -1 in " + Shape.str(requested));
                unknown = i;
            } else if (shape[i] < 0) {
                throw new ShapeException("reshape: negative dimension in " + Shape.str(requested));
            } else {
                known *= shape[i];
            }
        }
        int size = x.size();
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ShapeException("reshape: cannot reshape " + Shape.str(x.shape()) + " to " + Shape.str(requested));
            }
            shape[unknown] = (int) (size / known);
        } else if (known != size) {
            throw new ShapeException("reshape: cannot reshape " + Shape.str(x.shape()) + " (" + size + " elements) to "
                    + Shape.str(requested) + " (" + known + " elements)");
        }
        return shape;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.reshape(inputShape)};
    }
}
