package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** {@code a + b} with broadcasting. */
public final class Add extends Function {

    private final int[] shapeA;
    private final int[] shapeB;

    private Add(Tensor a, Tensor b) {
        shapeA = a.shape();
        shapeB = b.shape();
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("add", BinaryKernel.Op.ADD, a, b);
        return needsGrad(a, b) ? new Add(a, b).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.sumToShape(shapeA), g.sumToShape(shapeB)};
    }
}
