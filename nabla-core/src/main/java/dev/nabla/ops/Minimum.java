package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/** Elementwise minimum with broadcasting; on ties each input gets half the gradient, as in PyTorch. */
public final class Minimum extends Selection {

    private Minimum(Tensor a, Tensor b) {
        super(a, b, false);
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor out = BinaryKernel.apply("minimum", BinaryKernel.Op.MIN, a, b);
        return needsGrad(a, b) ? new Minimum(a.detach(), b.detach()).record(out, a, b) : out;
    }
}
