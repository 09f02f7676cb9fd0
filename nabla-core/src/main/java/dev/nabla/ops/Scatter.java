package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Writes values into a strided view of a larger buffer (backward of views that select part of a tensor). */
final class Scatter {

    private Scatter() {
    }

    /** {@code target += values}, where {@code target} may be a strided view and both have one shape. */
    static void addInto(Tensor target, Tensor values) {
        float[] v = values.toArray();
        float[] d = target.data();
        int[] shape = target.shape();
        int[] strides = target.strides();
        int rank = shape.length;
        int n = Shape.size(shape);
        int[] index = new int[rank];
        int pos = target.offset();
        for (int i = 0; i < n; i++) {
            d[pos] += v[i];
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                pos += strides[k];
                if (index[k] < shape[k]) break;
                pos -= strides[k] * shape[k];
                index[k] = 0;
            }
        }
    }
}
