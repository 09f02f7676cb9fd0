package dev.nabla.config;

import java.util.List;
import java.util.function.Function;

/**
 * One registered type of a {@link Registry}: its name (as in model files, architecture files and the command line),
 * its configuration record (with {@link Default}s), its constructor, and its command-line token form.
 *
 * <pre>{@code
 * Layers.register(Registration.of("dense", Dense.Config.class, Dense::new).aliases("linear", "fc"));
 * }</pre>
 *
 * @param name       the type name, e.g. {@code "dense"}
 * @param configType the configuration record
 * @param constructor makes an instance from a configuration
 * @param aliases    other names accepted when reading (never written)
 * @param positional keys filled by {@code type:v1:v2} command-line values, in order (default: every key); a value
 *                   goes to the first positional key not yet given that accepts it, so {@code conv:32:3:same} works
 * @param summary    one line for the documentation and {@code --help}
 * @param role       what the command line needs to know of the type's input: see {@link Role}
 */
public record Registration<T>(String name, Class<? extends Record> configType, Function<Record, ? extends T> constructor,
                              List<String> aliases, List<String> positional, String summary, Role role) {

    /** What kind of samples a layer takes, so the command line can put a flatten where images meet vectors. */
    public enum Role {
        /** any shape */ ANY,
        /** needs {@code [channels, ...spatial]} samples */ SPATIAL,
        /** needs feature vectors */ VECTOR,
        /** turns spatial samples into vectors */ FLATTENING
    }

    public Registration {
        aliases = List.copyOf(aliases);
        positional = positional == null ? ConfigCodec.keys(configType) : List.copyOf(positional);
    }

    /** A registration with no aliases, every key positional in declaration order, and {@link Role#ANY}. */
    @SuppressWarnings("unchecked")
    public static <T, C extends Record> Registration<T> of(String name, Class<C> configType, Function<C, ? extends T> constructor) {
        return new Registration<>(name, configType, c -> constructor.apply((C) c), List.of(), null, "", Role.ANY);
    }

    public Registration<T> aliases(String... names) {
        return new Registration<>(name, configType, constructor, List.of(names), positional, summary, role);
    }

    public Registration<T> withPositional(String... keys) {
        return new Registration<>(name, configType, constructor, aliases, List.of(keys), summary, role);
    }

    public Registration<T> summary(String text) {
        return new Registration<>(name, configType, constructor, aliases, positional, text, role);
    }

    public Registration<T> role(Role r) {
        return new Registration<>(name, configType, constructor, aliases, positional, summary, r);
    }

    /** A new instance for a configuration of this registration's type. */
    public T create(Record config) {
        if (!configType.isInstance(config)) {
            throw new IllegalArgumentException(name + ": expected a " + configType.getSimpleName() + ", got " + config);
        }
        return constructor.apply(config);
    }

    /** The command-line form, e.g. {@code dense:UNITS[:ACTIVATION][:USE_BIAS]}. */
    public String tokenForm() {
        StringBuilder sb = new StringBuilder(name);
        int optional = 0;
        for (String key : positional) {
            boolean required = ConfigCodec.fields(configType).stream().anyMatch(f -> f.key().equals(key) && f.required());
            if (required) {
                sb.append(':').append(key.toUpperCase(java.util.Locale.ROOT));
            } else {
                sb.append("[:").append(key.toUpperCase(java.util.Locale.ROOT));
                optional++;
            }
        }
        return sb + "]".repeat(optional);
    }
}
