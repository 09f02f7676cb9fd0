package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** {@code a - b} with broadcasting. */
public final class Sub extends Function {

    private final int[] shapeA;
    private final int[] shapeB;

    private Sub(Tensor a, Tensor b) {
        shapeA = a.shape();
        shapeB = b.shape();
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("sub", BinaryKernel.Op.SUB, a, b);
        return needsGrad(a, b) ? new Sub(a, b).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.sumToShape(shapeA), g.neg().sumToShape(shapeB)};
    }
}
