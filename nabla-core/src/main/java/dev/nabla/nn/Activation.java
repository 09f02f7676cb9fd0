package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.Locale;

/** The activation functions a layer can apply to its output, by the names Keras uses. */
public enum Activation {
    LINEAR, RELU, LEAKY_RELU, ELU, SIGMOID, TANH, GELU, SOFTMAX, SILU, SOFTPLUS, MISH;

    /** Applies the function (leaky ReLU with slope 0.01, ELU with alpha 1, softmax over the last axis, softplus with PyTorch's beta 1 and threshold 20). */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> x.relu();
            case LEAKY_RELU -> x.leakyRelu(0.01f);
            case ELU -> x.elu(1f);
            case SIGMOID -> x.sigmoid();
            case TANH -> x.tanh();
            case GELU -> x.gelu();
            case SOFTMAX -> x.softmax(-1);
            case SILU -> x.silu();
            case SOFTPLUS -> x.softplus();
            case MISH -> x.mish();
        };
    }

    /** The lower-case name, e.g. {@code "leaky_relu"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Looks an activation up by name ({@code relu}, {@code leaky_relu} or {@code leakyrelu}, ...). */
    public static Activation of(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("LEAKYRELU")) key = "LEAKY_RELU";
        if (key.equals("SWISH")) key = "SILU";
        if (key.equals("NONE") || key.isEmpty()) key = "LINEAR";
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "' (known: linear, relu, leaky_relu, elu, "
                    + "sigmoid, tanh, gelu, softmax, silu (swish), softplus, mish)");
        }
    }
}
