package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * PyTorch's {@code gather}: along {@code axis}, picks {@code x[..., index[i, j, ...], ...]} for every position of
 * {@code index}, which has the same rank as {@code x} and holds whole numbers (e.g. the true class of each sample).
 */
public final class Gather extends Function {

    private final int[] inputShape;
    private final int axis;
    private int[] flatPositions;

    private Gather(int[] inputShape, int axis, int[] flatPositions) {
        this.inputShape = inputShape;
        this.axis = axis;
        this.flatPositions = flatPositions;
    }

    public static Tensor apply(Tensor x, int axis, Tensor index) {
        int rank = x.rank();
        if (index.rank() != rank) {
            throw new ShapeException("gather: index of shape " + Shape.str(index.shape()) + " must have the rank of input "
                    + Shape.str(x.shape()));
        }
        int a = Shape.axis("gather", axis, rank);
        int[] shape = x.shape();
        int[] indexShape = index.shape();
        for (int i = 0; i < rank; i++) {
            if (i != a && indexShape[i] > shape[i]) {
                throw new ShapeException("gather: index shape " + Shape.str(indexShape) + " exceeds input shape "
                        + Shape.str(shape) + " at axis " + i);
            }
        }
        int[] strides = Shape.contiguousStrides(shape);
        float[] idx = index.toArray();
        int n = idx.length;
        int[] positions = new int[n];
        int[] counter = new int[rank];
        for (int p = 0; p < n; p++) {
            float raw = idx[p];
            int k = (int) raw;
            if (k != raw || k < 0 || k >= shape[a]) {
                throw new IndexOutOfBoundsException("gather: index value " + raw + " is out of range for axis " + a
                        + " of size " + shape[a]);
            }
            int pos = 0;
            for (int d = 0; d < rank; d++) pos += (d == a ? k : counter[d]) * strides[d];
            positions[p] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < indexShape[d]) break;
                counter[d] = 0;
            }
        }
        Dense in = Dense.of(x);
        float[] out = new float[n];
        for (int p = 0; p < n; p++) out[p] = in.data()[in.offset() + positions[p]];
        Tensor result = Tensor.wrap(out, indexShape);
        return needsGrad(x) ? new Gather(shape, a, positions).record(result, x) : result;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        float[] gd = g.toArray();
        float[] grad = new float[Shape.size(inputShape)];
        for (int p = 0; p < gd.length; p++) grad[flatPositions[p]] += gd[p];
        return new Tensor[]{Tensor.wrap(grad, inputShape)};
    }

    @Override
    protected void releaseSaved() {
        flatPositions = null;
    }
}
