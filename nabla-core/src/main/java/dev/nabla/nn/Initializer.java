package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * How a layer's weights start. Fan-in and fan-out follow PyTorch: for a {@code [in, out]} dense weight they are
 * {@code in} and {@code out}; for a {@code [F, C, KH, KW]} convolution weight {@code C*KH*KW} and {@code F*KH*KW}.
 */
public interface Initializer {

    /** A new tensor of the given shape with initial values. */
    Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng);

    /**
     * The initializer's token: its registered type and the settings that differ from the defaults, e.g.
     * {@code "he_normal"} or {@code "constant:value=0.5"}; {@link #of} reads it back. Saved in layer configurations.
     */
    String name();

    static Initializer zeros() {
        return of("zeros");
    }

    static Initializer ones() {
        return of("ones");
    }

    static Initializer constant(float value) {
        return Initializers.create("constant", new Initializers.Constant(value));
    }

    /** Glorot/Xavier uniform: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))} (Keras' default). */
    static Initializer glorotUniform() {
        return of("glorot_uniform");
    }

    /** Glorot/Xavier normal: {@code N(0, 2 / (fanIn + fanOut))}. */
    static Initializer glorotNormal() {
        return of("glorot_normal");
    }

    /** He/Kaiming uniform for ReLU: {@code U(-a, a)}, {@code a = sqrt(6 / fanIn)}. */
    static Initializer heUniform() {
        return of("he_uniform");
    }

    /** He/Kaiming normal for ReLU: {@code N(0, 2 / fanIn)}. */
    static Initializer heNormal() {
        return of("he_normal");
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d} weights and biases: {@code U(-b, b)} with
     * {@code b = 1 / sqrt(fanIn)} (Kaiming uniform with {@code a = sqrt(5)} works out to this).
     */
    static Initializer torchDefault() {
        return of("torch_default");
    }

    /** Normal values of mean 0; {@code normal(1)} is PyTorch's default for embeddings. */
    static Initializer normal(float std) {
        return Initializers.create("normal", new Initializers.Normal(std, 0f));
    }

    /**
     * An initializer by its token, looked up in {@link Initializers}: {@code zeros}, {@code ones},
     * {@code constant:VALUE}, {@code glorot_uniform}, {@code glorot_normal}, {@code he_uniform}, {@code he_normal},
     * {@code torch_default}, {@code normal[:STD[:MEAN]]} (or {@code normal:std=0.02}), or a registered one.
     */
    static Initializer of(String token) {
        return Initializers.fromToken(token, "initializer '" + token + "'");
    }

    /** The function part of an initializer. */
    @FunctionalInterface
    interface Fill {
        Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng);
    }
}
