package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** {@code a / b} elementwise, with broadcasting. */
public final class Div extends Function {

    private Tensor a;
    private Tensor b;

    private Div(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("div", BinaryKernel.Op.DIV, a, b);
        return needsGrad(a, b) ? new Div(a.detach(), b.detach()).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gradA = needsInputGrad(0) ? g.div(b).sumToShape(a.shape()) : null;
        // d(a/b)/db = -a / b^2
        Tensor gradB = needsInputGrad(1) ? g.mul(a).div(b.square()).neg().sumToShape(b.shape()) : null;
        return new Tensor[]{gradA, gradB};
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }
}
