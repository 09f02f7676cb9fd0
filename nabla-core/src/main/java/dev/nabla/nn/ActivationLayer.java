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

    /** Keeps every step in its place (it works per element or along the last axis), so a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /** No weights tied to the shape: any length and any rank. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return true;
    }

    @Override
    protected Tensor call(Tensor x) {
        return activation.apply(x);
    }
}
