package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise maximum with broadcasting; on ties each input gets half the gradient, as in PyTorch. */
public final class Maximum extends Selection {

    private Maximum(Tensor a, Tensor b) {
        super(a, b, true);
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("maximum", BinaryKernel.Op.MAX, a, b);
        return needsGrad(a, b) ? new Maximum(a.detach(), b.detach()).record(out, a, b) : out;
    }
}
