package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** Elementwise minimum with broadcasting; on ties each input gets half the gradient, as in PyTorch. */
public final class Minimum extends Function {

    private Tensor a;
    private Tensor b;

    private Minimum(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("minimum", BinaryKernel.Op.MIN, a, b);
        return needsGrad(a, b) ? new Minimum(a.detach(), b.detach()).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // a wins the minimum exactly where b wins the maximum of (b, a): shares(b, a)[0] is 1 where b > a
        Tensor[] share = Selection.shares(b, a);
        return new Tensor[]{
                needsInputGrad(0) ? g.mul(share[0]).sumToShape(a.shape()) : null,
                needsInputGrad(1) ? g.mul(share[1]).sumToShape(b.shape()) : null};
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }
}
