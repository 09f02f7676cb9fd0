package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** A contiguous copy that owns its data; the gradient passes through unchanged. */
public final class Copy extends Function {

    public static Tensor apply(Tensor x) {
        Tensor out = x.materialize(true);
        return needsGrad(x) ? new Copy().record(out, x) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g};
    }
}
