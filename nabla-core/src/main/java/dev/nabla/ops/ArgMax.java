package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Index of the largest element along one axis, as float values (not differentiable). */
public final class ArgMax {

    private ArgMax() {
    }

    public static Tensor apply(Tensor x, int axis, boolean keepDims) {
        ReduceLayout layout = new ReduceLayout("argmax", x.shape(), new int[]{axis}, keepDims);
        if (layout.inner == 0) throw new IllegalArgumentException("argmax: empty axis in shape " + Shape.str(x.shape()));
        int[] winners = Max.argmaxRows(layout.rows(x), layout.outer, layout.inner);
        float[] out = new float[winners.length];
        for (int i = 0; i < out.length; i++) out[i] = winners[i];
        return Tensor.wrap(out, layout.outShape);
    }
}
