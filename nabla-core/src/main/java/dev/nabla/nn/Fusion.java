package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Two modules in a row that can run as one op: the second applied to the first's output, which nothing else reads.
 * When a {@link Sequential} or {@link Graph} plans its forward pass, every registered fusion ({@link Fusions}) is asked
 * whether it {@link #supports} each such pair; the model's modules and weights stay as they are. In a graph the
 * first module may take several inputs (a merge); the second always takes the first's output alone.
 */
public interface Fusion {

    /** A name for summaries and messages, e.g. {@code "conv2d+relu+maxpool2d"}. */
    String name();

    /** Whether {@code second(first(x))} can run as one op, for built modules. */
    boolean supports(Module first, Module second);

    /** {@code second(first(x))}, with the values and gradients of the two modules in a row. */
    Tensor apply(Module first, Module second, Tensor x);

    /**
     * {@code second(first(inputs))}: a graph hands the first module's inputs this way. One input goes to
     * {@link #apply(Module, Module, Tensor)}; several run as the two modules unless a fusion of a merge overrides this.
     */
    default Tensor apply(Module first, Module second, List<Tensor> inputs) {
        return inputs.size() == 1 ? apply(first, second, inputs.get(0)) : second.forward(first.forward(inputs));
    }
}
