package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Applies an activation function on its own, e.g. {@code new ActivationLayer(Activation.RELU)}; its type is the activation's name. */
public final class ActivationLayer extends Layer {

    /** No settings: the type ({@code "relu"}, {@code "tanh"}, ...) says which function. */
    public record Config() {
    }

    private final Activation activation;

    public ActivationLayer(Activation activation) {
        this.activation = activation;
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    public String type() {
        return typeName(activation);
    }

    /** The layer type of an activation: its name, but {@code "identity"} for linear ({@code "linear"} is a dense layer). */
    static String typeName(Activation a) {
        return a == Activation.LINEAR ? "identity" : a.id();
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected Tensor call(Tensor x) {
        return activation.apply(x);
    }
}
