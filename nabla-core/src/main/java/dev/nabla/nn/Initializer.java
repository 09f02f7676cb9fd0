package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How a layer's weights start. Fan-in and fan-out follow PyTorch: for a {@code [in, out]} dense weight they are
 * {@code in} and {@code out}; for a {@code [F, C, KH, KW]} convolution weight {@code C*KH*KW} and {@code F*KH*KW}.
 */
public interface Initializer {

    /** A new tensor of the given shape with initial values. */
    Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng);

    /** A name for saved models and summaries. */
    String name();

    static Initializer zeros() {
        return named("zeros", (shape, fanIn, fanOut, rng) -> Tensor.zeros(shape));
    }

    static Initializer ones() {
        return constant(1f);
    }

    static Initializer constant(float value) {
        return named("constant(" + value + ")", (shape, fanIn, fanOut, rng) -> Tensor.full(value, shape));
    }

    /** Glorot/Xavier uniform: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))} (Keras' default). */
    static Initializer glorotUniform() {
        return named("glorot_uniform", (shape, fanIn, fanOut, rng) -> {
            float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            return Tensor.uniform(rng, -a, a, shape);
        });
    }

    /** Glorot/Xavier normal: {@code N(0, 2 / (fanIn + fanOut))}. */
    static Initializer glorotNormal() {
        return named("glorot_normal", (shape, fanIn, fanOut, rng) ->
                Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / (fanIn + fanOut)), shape));
    }

    /** He/Kaiming uniform for ReLU: {@code U(-a, a)}, {@code a = sqrt(6 / fanIn)}. */
    static Initializer heUniform() {
        return named("he_uniform", (shape, fanIn, fanOut, rng) -> {
            float a = (float) Math.sqrt(6.0 / fanIn);
            return Tensor.uniform(rng, -a, a, shape);
        });
    }

    /** He/Kaiming normal for ReLU: {@code N(0, 2 / fanIn)}. */
    static Initializer heNormal() {
        return named("he_normal", (shape, fanIn, fanOut, rng) ->
                Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / fanIn), shape));
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d} weights and biases: {@code U(-b, b)} with
     * {@code b = 1 / sqrt(fanIn)} (Kaiming uniform with {@code a = sqrt(5)} works out to this).
     */
    static Initializer torchDefault() {
        return named("torch_default", (shape, fanIn, fanOut, rng) -> {
            float b = fanIn > 0 ? (float) (1.0 / Math.sqrt(fanIn)) : 0f;
            return Tensor.uniform(rng, -b, b, shape);
        });
    }

    /** Standard normal values, PyTorch's default for embeddings. */
    static Initializer normal(float std) {
        return named("normal(" + std + ")", (shape, fanIn, fanOut, rng) -> Tensor.normal(rng, 0f, std, shape));
    }

    /** Looks an initializer up by name: zeros, ones, glorot_uniform, glorot_normal, he_uniform, he_normal, torch_default. */
    static Initializer of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "glorot_uniform", "xavier_uniform" -> glorotUniform();
            case "glorot_normal", "xavier_normal" -> glorotNormal();
            case "he_uniform", "kaiming_uniform" -> heUniform();
            case "he_normal", "kaiming_normal" -> heNormal();
            case "torch_default", "default" -> torchDefault();
            default -> throw new IllegalArgumentException("unknown initializer '" + name + "' (known: zeros, ones, "
                    + "glorot_uniform, glorot_normal, he_uniform, he_normal, torch_default)");
        };
    }

    /** Gives a lambda a name. */
    static Initializer named(String name, Fill fill) {
        return new Initializer() {
            @Override
            public Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng) {
                return fill.create(shape, fanIn, fanOut, rng);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The function part of an initializer. */
    @FunctionalInterface
    interface Fill {
        Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng);
    }
}
