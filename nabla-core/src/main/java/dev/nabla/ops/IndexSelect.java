package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Entries at the given indices along one axis, e.g. embedding rows for token ids; the backward pass adds each
 * gradient row back at its index (an index may repeat).
 */
public final class IndexSelect extends Function {

    private final int[] inputShape;
    private final int axis;
    private int[] indices;

    private IndexSelect(int[] inputShape, int axis, int[] indices) {
        this.inputShape = inputShape;
        this.axis = axis;
        this.indices = indices;
    }

    public static Tensor apply(Tensor x, int axis, int[] indices) {
        if (x.rank() == 0) throw new ShapeException("indexSelect: cannot index a scalar");
        int a = Shape.axis("indexSelect", axis, x.rank());
        int[] shape = x.shape();
        int size = shape[a];
        for (int index : indices) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("indexSelect: index " + index + " is out of range for axis " + a
                        + " of size " + size + " (shape " + Shape.str(shape) + ")");
            }
        }
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        int inner = 1;
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        Dense in = Dense.of(x);
        int[] outShape = shape.clone();
        outShape[a] = indices.length;
        float[] out = new float[outer * indices.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(in.data(), in.offset() + (o * size + indices[k]) * inner,
                        out, (o * indices.length + k) * inner, inner);
            }
        }
        Tensor result = Tensor.wrap(out, outShape);
        return needsGrad(x) ? new IndexSelect(shape, a, indices.clone()).record(result, x) : result;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= inputShape[i];
        int inner = 1;
        for (int i = axis + 1; i < inputShape.length; i++) inner *= inputShape[i];
        int size = inputShape[axis];
        Dense gd = Dense.of(g);
        float[] grad = new float[Shape.size(inputShape)];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < indices.length; k++) {
                int src = gd.offset() + (o * indices.length + k) * inner;
                int dst = (o * size + indices[k]) * inner;
                for (int j = 0; j < inner; j++) grad[dst + j] += gd.data()[src + j];
            }
        }
        return new Tensor[]{Tensor.wrap(grad, inputShape)};
    }

    @Override
    protected void releaseSaved() {
        indices = null;
    }
}
