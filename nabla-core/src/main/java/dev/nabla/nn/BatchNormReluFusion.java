package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * A {@link BatchNorm} followed by a ReLU {@link ActivationLayer} as one op ({@code BatchNormOp} with its ReLU): the
 * batchnorm's own output, a full-size tensor in a residual network, is neither written nor kept for the backward
 * pass, and the activation is swept once less each way. Inputs that carry a mask run as the two layers.
 */
final class BatchNormReluFusion implements Fusion {

    @Override
    public String name() {
        return "batchnorm+relu";
    }

    @Override
    public boolean supports(Module first, Module second) {
        return first instanceof BatchNorm bn && second instanceof ActivationLayer act && bn.isBuilt()
                && act.isBuilt() && act.activation() == Activation.RELU;
    }

    @Override
    public Tensor apply(Module first, Module second, Tensor x) {
        if (x.mask() != null) return second.forward(first.forward(x));
        return ((BatchNorm) first).callThenRelu(x);
    }
}
