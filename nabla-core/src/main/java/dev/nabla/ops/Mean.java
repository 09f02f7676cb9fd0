package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Mean over the given axes (all when null): the sum divided by the number of elements reduced. */
public final class Mean {

    private Mean() {
    }

    public static Tensor apply(Tensor x, int[] axes, boolean keepDims) {
        Tensor sum = Sum.apply(x, axes, keepDims);
        int groups = Shape.size(sum.shape());
        float count = groups == 0 ? 0f : (float) x.size() / groups;
        // differentiable through Sum and Mul, so no backward of its own
        return sum.mul(1f / count);
    }
}
