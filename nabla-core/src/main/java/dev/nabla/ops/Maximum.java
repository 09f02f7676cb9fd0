package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/** Elementwise maximum with broadcasting; on ties each input gets half the gradient, as in PyTorch. */
public final class Maximum extends Function {

    private Tensor a;
    private Tensor b;

    private Maximum(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("maximum", BinaryKernel.Op.MAX, a, b);
        return needsGrad(a, b) ? new Maximum(a.detach(), b.detach()).record(out, a, b) : out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] share = Selection.shares(a, b);
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
