package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * Where a reduction over some axes reads its input: the kept axes become rows ({@code outer} of them) and the reduced
 * axes the elements of a row ({@code inner}). Reductions over trailing axes of a contiguous tensor read it in place;
 * others first permute a copy into that order.
 */
final class ReduceLayout {

    final int[] inputShape;
    final boolean[] reduced;
    /** The result's shape with reduced axes kept as size 1. */
    final int[] keptShape;
    /** The result's shape as returned (with or without the size-1 axes). */
    final int[] outShape;
    final int outer;
    final int inner;
    /** Input axes in row order: kept ones, then reduced ones. */
    final int[] order;

    ReduceLayout(String op, int[] shape, int[] axes, boolean keepDims) {
        int rank = shape.length;
        inputShape = shape;
        reduced = new boolean[rank];
        if (axes == null) {
            Arrays.fill(reduced, true);
        } else {
            for (int axis : axes) {
                int a = Shape.axis(op, axis, rank);
                if (reduced[a]) throw new IllegalArgumentException(op + ": axis " + axis + " given twice");
                reduced[a] = true;
            }
        }
        keptShape = shape.clone();
        int[] out = new int[rank];
        int outRank = 0;
        order = new int[rank];
        int o = 0;
        int rows = 1;
        int cols = 1;
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                keptShape[i] = 1;
                cols *= shape[i];
                if (keepDims) out[outRank++] = 1;
            } else {
                order[o++] = i;
                rows *= shape[i];
                out[outRank++] = shape[i];
            }
        }
        for (int i = 0; i < rank; i++) if (reduced[i]) order[o++] = i;
        outShape = Arrays.copyOf(out, outRank);
        outer = rows;
        inner = cols;
    }

    /** True when the reduced axes are the trailing ones, so a contiguous input is already in row order. */
    boolean trailing() {
        for (int i = 0; i < order.length; i++) if (order[i] != i) return false;
        return true;
    }

    /** The input as a contiguous {@code outer x inner} block. */
    Dense rows(Tensor x) {
        Tensor t = trailing() ? x : x.detach().permute(order);
        return Dense.of(t);
    }

    /** Maps a gradient laid out as {@code outer x inner} rows back to the input's shape and axis order. */
    Tensor fromRows(float[] rowsData) {
        int[] permutedShape = new int[order.length];
        for (int i = 0; i < order.length; i++) permutedShape[i] = inputShape[order[i]];
        Tensor permuted = Tensor.wrap(rowsData, permutedShape);
        if (trailing()) return permuted;
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[order[i]] = i;
        return permuted.permute(inverse).materialize(true);
    }
}
