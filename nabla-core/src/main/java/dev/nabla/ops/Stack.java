package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** Joins tensors of one shape along a new axis: a reshape of each, then a concat (which carries the gradient). */
public final class Stack {

    private Stack() {
    }

    public static Tensor apply(int axis, Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor");
        int[] shape = tensors[0].shape();
        int a = Shape.axis("stack", axis, shape.length + 1);
        int[] expanded = new int[shape.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) expanded[i] = i == a ? 1 : shape[j++];
        Tensor[] parts = new Tensor[tensors.length];
        for (int t = 0; t < tensors.length; t++) {
            if (!java.util.Arrays.equals(tensors[t].shape(), shape)) {
                throw new ShapeException("stack: shapes " + Shape.str(shape) + " and " + Shape.str(tensors[t].shape())
                        + " differ");
            }
            parts[t] = tensors[t].reshape(expanded);
        }
        return Concat.apply(a, parts);
    }
}
