package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Applies an activation function on its own, e.g. {@code new ActivationLayer(Activation.RELU)}. */
public final class ActivationLayer extends Layer {

    private final Activation activation;

    public ActivationLayer(Activation activation) {
        this.activation = activation;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected Tensor call(Tensor x) {
        return activation.apply(x);
    }

    @Override
    public String type() {
        return activation.id();
    }
}
