package dev.nabla.onnx;

import dev.nabla.nn.Activation;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * Each {@link Activation} as ONNX nodes, with Nabla's constants (leaky ReLU's slope 0.01, ELU's alpha 1, softmax over
 * the last axis, softplus with PyTorch's threshold 20). Opset 17 has no Gelu, SiLU or Mish: they are composed (GELU
 * exactly, with Erf).
 */
final class Activations {

    private static final Map<Activation, BiFunction<String, OnnxGraph, String>> NODES = new EnumMap<>(Activation.class);

    static {
        NODES.put(Activation.LINEAR, (x, g) -> x);
        NODES.put(Activation.RELU, (x, g) -> g.op("Relu", x));
        NODES.put(Activation.LEAKY_RELU, (x, g) -> g.op("LeakyRelu", java.util.List.of(x), attrs("alpha", 0.01f)));
        NODES.put(Activation.ELU, (x, g) -> g.op("Elu", java.util.List.of(x), attrs("alpha", 1f)));
        NODES.put(Activation.SIGMOID, (x, g) -> g.op("Sigmoid", x));
        NODES.put(Activation.TANH, (x, g) -> g.op("Tanh", x));
        NODES.put(Activation.SOFTMAX, (x, g) -> g.op("Softmax", java.util.List.of(x), attrs("axis", -1)));
        NODES.put(Activation.GELU, Activations::gelu);
        NODES.put(Activation.SILU, (x, g) -> g.op("Mul", x, g.op("Sigmoid", x)));
        NODES.put(Activation.SOFTPLUS, Activations::softplus);
        NODES.put(Activation.MISH, (x, g) -> g.op("Mul", x, g.op("Tanh", softplus(x, g))));
    }

    private Activations() {
    }

    /** The nodes of {@code a} applied to {@code x}; returns the output's name ({@code x} itself for linear). */
    static String apply(Activation a, String x, OnnxGraph g) {
        return NODES.get(a).apply(x, g);
    }

    /** {@code x * (1 + erf(x / sqrt 2)) / 2}: PyTorch's exact GELU, as Nabla's. */
    private static String gelu(String x, OnnxGraph g) {
        String erf = g.op("Erf", g.op("Div", x, g.scalar("sqrt2", (float) Math.sqrt(2))));
        String onePlus = g.op("Add", erf, g.scalar("one", 1f));
        return g.op("Mul", g.op("Mul", x, onePlus), g.scalar("half", 0.5f));
    }

    /** {@code log(1 + exp(x))}, and {@code x} itself above 20 (PyTorch's threshold, where exp would overflow). */
    private static String softplus(String x, OnnxGraph g) {
        String above = g.op("Greater", x, g.scalar("threshold", 20f));
        String safe = g.op("Min", x, g.scalar("threshold", 20f));
        return g.op("Where", above, x, g.op("Softplus", safe));
    }
}
