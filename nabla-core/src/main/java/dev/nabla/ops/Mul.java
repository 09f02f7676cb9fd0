package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** {@code a * b} elementwise, with broadcasting. */
public final class Mul extends Function {

    private Tensor a;
    private Tensor b;

    private Mul(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("mul", BinaryKernel.Op.MUL, a, b);
        return needsGrad(a, b) ? new Mul(a.detach(), b.detach()).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{
                needsInputGrad(0) ? g.mul(b).sumToShape(a.shape()) : null,
                needsInputGrad(1) ? g.mul(a).sumToShape(b.shape()) : null};
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }
}
