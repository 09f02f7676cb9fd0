package dev.nabla.nn;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.ConfigException;
import dev.nabla.config.Default;
import dev.nabla.config.Registration;
import dev.nabla.config.Registry;
import dev.nabla.tensor.Tensor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Every weight initializer by name, each with a configuration record: the one list that layer configurations
 * ({@code "kernel_initializer": "normal:std=0.02"}), {@link Initializer#of} and the documentation read. An
 * initializer's {@link Initializer#name()} is its token, {@code type[:key=value...]} with the settings that differ
 * from the defaults, so {@code Initializer.of(init.name())} gives it back. One of one's own is one {@link #register}:
 *
 * <pre>{@code
 * Initializers.register(Initializers.initializer("uniform", Uniform.class,
 *         c -> (shape, fanIn, fanOut, rng) -> Tensor.uniform(rng, c.low(), c.high(), shape)));
 * }</pre>
 */
public final class Initializers {

    /** No settings. */
    public record None() {
    }

    /** @param value every element's value */
    public record Constant(@Default("0.0") float value) {
    }

    /**
     * @param std  the standard deviation, at least 0 (PyTorch's {@code normal_} default 1)
     * @param mean the mean
     */
    public record Normal(@Default("1.0") float std, @Default("0.0") float mean) {
        public Normal {
            if (!(std >= 0) || Float.isInfinite(std)) throw new IllegalArgumentException("std must be a finite number >= 0, got " + std);
        }
    }

    private static final Registry<Initializer.Fill> REGISTRY = new Registry<>("initializer");

    static {
        register(initializer("zeros", None.class, c -> (shape, fanIn, fanOut, rng) -> Tensor.zeros(shape)).summary("all 0"));
        register(initializer("ones", None.class, c -> (shape, fanIn, fanOut, rng) -> Tensor.full(1f, shape)).summary("all 1"));
        register(initializer("constant", Constant.class, c -> (shape, fanIn, fanOut, rng) -> Tensor.full(c.value(), shape))
                .summary("every element the same value"));
        register(initializer("glorot_uniform", None.class, c -> (shape, fanIn, fanOut, rng) -> {
            float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            return Tensor.uniform(rng, -a, a, shape);
        }).aliases("xavier_uniform").summary("U(-a, a), a = sqrt(6 / (fan_in + fan_out)) (Keras' default)"));
        register(initializer("glorot_normal", None.class, c -> (shape, fanIn, fanOut, rng) ->
                Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / (fanIn + fanOut)), shape))
                .aliases("xavier_normal").summary("N(0, 2 / (fan_in + fan_out))"));
        register(initializer("he_uniform", None.class, c -> (shape, fanIn, fanOut, rng) -> {
            float a = (float) Math.sqrt(6.0 / fanIn);
            return Tensor.uniform(rng, -a, a, shape);
        }).aliases("kaiming_uniform").summary("U(-a, a), a = sqrt(6 / fan_in), for ReLU"));
        register(initializer("he_normal", None.class, c -> (shape, fanIn, fanOut, rng) ->
                Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / fanIn), shape))
                .aliases("kaiming_normal").summary("N(0, 2 / fan_in), for ReLU"));
        register(initializer("torch_default", None.class, c -> (shape, fanIn, fanOut, rng) -> {
            float b = fanIn > 0 ? (float) (1.0 / Math.sqrt(fanIn)) : 0f;
            return Tensor.uniform(rng, -b, b, shape);
        }).aliases("default").summary("U(-b, b), b = 1 / sqrt(fan_in): PyTorch's nn.Linear and nn.Conv2d"));
        register(initializer("normal", Normal.class, c -> (shape, fanIn, fanOut, rng) -> Tensor.normal(rng, c.mean(), c.std(), shape))
                .summary("N(mean, std^2)"));
    }

    private Initializers() {
    }

    /** A registration of an initializer type, to refine ({@code .aliases}, {@code .summary}) and {@link #register}. */
    public static <C extends Record> Registration<Initializer.Fill> initializer(String name, Class<C> configType,
                                                                               Function<C, ? extends Initializer.Fill> fill) {
        return Registration.of(name, configType, fill);
    }

    /** Adds an initializer type; its name and aliases must be new. */
    public static Registration<Initializer.Fill> register(Registration<Initializer.Fill> registration) {
        return REGISTRY.register(registration);
    }

    /** The registry itself (all types and look-ups). */
    public static Registry<Initializer.Fill> registry() {
        return REGISTRY;
    }

    /** An initializer from a token such as {@code he_normal}, {@code constant:0.5} or {@code normal:std=0.02}. */
    public static Initializer fromToken(String token, String where) {
        var parsed = REGISTRY.parseToken(token, where);
        Registration<Initializer.Fill> r = parsed.getKey();
        return create(r.name(), ConfigCodec.decode(r.configType(), parsed.getValue(), Set.of(), where + " (" + r.name() + ")"));
    }

    /** An initializer from its type and JSON values; missing keys take their defaults. */
    public static Initializer create(String type, Map<String, ?> values, String where) {
        Registration<Initializer.Fill> r = REGISTRY.get(type, where);
        return create(r.name(), ConfigCodec.decode(r.configType(), values, Set.of(), where + " (" + r.name() + ")"));
    }

    /** The initializer of a registered type with a configuration of that type's record. */
    public static Initializer create(String type, Record config) {
        Registration<Initializer.Fill> r = REGISTRY.get(type, "initializer");
        return new Configured(token(r, config), config, r.create(config));
    }

    /**
     * {@code type} alone when every setting has its default, else {@code type:key=value...} for the others, values
     * as the record holds them ({@code 0.1}, not the float's double expansion).
     */
    private static String token(Registration<Initializer.Fill> r, Record config) {
        Record defaults = ConfigCodec.decode(r.configType(), Map.of(), Set.of(), r.name());
        StringBuilder sb = new StringBuilder(r.name());
        for (RecordComponent c : r.configType().getRecordComponents()) {
            Object value = component(c, config);
            if (Arrays.deepEquals(new Object[]{value}, new Object[]{component(c, defaults)})) continue;
            String text = value instanceof int[] a ? Arrays.toString(a) : value instanceof float[] a ? Arrays.toString(a)
                    : String.valueOf(value);
            if (text.contains(":")) throw new ConfigException(r.name() + ": " + c.getName() + " '" + text + "' cannot be written in a token");
            sb.append(':').append(ConfigCodec.snake(c.getName())).append('=').append(text);
        }
        return sb.toString();
    }

    private static Object component(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " (is the record public?)", e);
        }
    }

    /** A registered initializer with its configuration; named by its token. */
    private record Configured(String name, Record config, Initializer.Fill fill) implements Initializer {
        @Override
        public Tensor create(int[] shape, int fanIn, int fanOut, RandomGenerator rng) {
            return fill.create(shape, fanIn, fanOut, rng);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
