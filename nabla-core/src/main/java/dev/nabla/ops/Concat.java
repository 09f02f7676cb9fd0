package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/** Joins tensors along an existing axis; all other dimensions must match. */
public final class Concat extends Function {

    private final int axis;
    private final int[] lengths;

    private Concat(int axis, int[] lengths) {
        this.axis = axis;
        this.lengths = lengths;
    }

    public static Tensor apply(int axis, Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        int[] first = tensors[0].shape();
        if (first.length == 0) throw new ShapeException("concat: cannot concatenate scalars; use stack");
        int a = Shape.axis("concat", axis, first.length);
        int[] lengths = new int[tensors.length];
        int total = 0;
        for (int t = 0; t < tensors.length; t++) {
            int[] s = tensors[t].shape();
            boolean fits = s.length == first.length;
            for (int i = 0; fits && i < s.length; i++) fits = i == a || s[i] == first[i];
            if (!fits) {
                throw new ShapeException("concat: shapes " + Shape.str(first) + " and " + Shape.str(s)
                        + " differ outside axis " + a);
            }
            lengths[t] = s[a];
            total += s[a];
        }
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= first[i];
        int inner = 1;
        for (int i = a + 1; i < first.length; i++) inner *= first[i];
        int[] outShape = first.clone();
        outShape[a] = total;
        float[] out = new float[outer * total * inner];
        int done = 0;
        for (int t = 0; t < tensors.length; t++) {
            Dense d = Dense.of(tensors[t]);
            int block = lengths[t] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(d.data(), d.offset() + o * block, out, (o * total + done) * inner, block);
            }
            done += lengths[t];
        }
        Tensor result = Tensor.wrap(out, outShape);
        return needsGrad(tensors) ? new Concat(a, lengths).record(result, tensors) : result;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] grads = new Tensor[lengths.length];
        int start = 0;
        for (int t = 0; t < lengths.length; t++) {
            grads[t] = needsInputGrad(t) ? g.narrow(axis, start, lengths[t]).materialize(true) : null;
            start += lengths[t];
        }
        return grads;
    }
}
