package dev.nabla.nn;

import dev.nabla.ops.AddRelu;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An {@link Add} of two inputs followed by a ReLU {@link ActivationLayer} as one op ({@link AddRelu}): the end of a
 * residual block. The sum is never kept for the backward pass. More than two inputs, inputs that carry a mask or
 * (for a layer built for one shape and handed another) differing shapes run as the two layers.
 */
final class AddReluFusion implements Fusion {

    @Override
    public String name() {
        return "add+relu";
    }

    @Override
    public boolean supports(Module first, Module second) {
        return first instanceof Add add && second instanceof ActivationLayer act && add.isBuilt() && act.isBuilt()
                && act.activation() == Activation.RELU;
    }

    @Override
    public Tensor apply(Module first, Module second, Tensor x) {
        return apply(first, second, List.of(x));
    }

    @Override
    public Tensor apply(Module first, Module second, List<Tensor> inputs) {
        if (inputs.size() != 2 || inputs.get(0).mask() != null || inputs.get(1).mask() != null
                || !Arrays.equals(inputs.get(0).shape(), inputs.get(1).shape())) {
            return second.forward(first.forward(inputs));
        }
        ((Add) first).checkInputs(List.of(inputs.get(0).shape(), inputs.get(1).shape()));
        return AddRelu.apply(inputs.get(0), inputs.get(1));
    }
}
