package dev.nabla.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Types known by name: layers, losses, optimizers, metrics, initializers. Everything that reads a name (model files,
 * architecture files, the command line) goes through one registry, so a new type is one class and one
 * {@link #register} call. Only registered types are ever created: a name in a file never loads a class.
 */
public final class Registry<T> {

    private final String kind;
    private final Map<String, Registration<T>> byName = new LinkedHashMap<>();
    private final Map<String, Registration<T>> byKey = new LinkedHashMap<>();
    private final Map<Class<?>, Registration<T>> byConfig = new LinkedHashMap<>();

    /** @param kind what the registry holds, for messages: {@code "layer"} */
    public Registry(String kind) {
        this.kind = kind;
    }

    /** Adds a type; its name and aliases must be new. Returns the registration. */
    public synchronized Registration<T> register(Registration<T> r) {
        List<String> names = new ArrayList<>(r.aliases());
        names.add(0, r.name());
        for (String n : names) {
            if (byKey.containsKey(key(n))) throw new IllegalArgumentException(kind + " '" + n + "' is already registered");
        }
        byName.put(r.name(), r);
        for (String n : names) byKey.put(key(n), r);
        byConfig.putIfAbsent(r.configType(), r);
        return r;
    }

    /** The registration for a name or alias (case and '-'/'_' do not matter), or null. */
    public synchronized Registration<T> find(String name) {
        return name == null ? null : byKey.get(key(name));
    }

    /** The registration for a name or alias; an unknown name is an error listing the known ones. */
    public Registration<T> get(String name, String where) {
        Registration<T> r = find(name);
        if (r == null) {
            throw new ConfigException(where + ": unknown " + kind + " type '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return r;
    }

    /** The name registered for a configuration record type (its first registration), or null. */
    public synchronized String nameFor(Class<? extends Record> configType) {
        Registration<T> r = byConfig.get(configType);
        return r == null ? null : r.name();
    }

    /** The registered names, in registration order. */
    public synchronized List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public synchronized List<Registration<T>> all() {
        return List.copyOf(byName.values());
    }

    /** Creates {@code type} from JSON values; {@code ignored} keys belong to the caller (e.g. "name", "inputs"). */
    public T create(String type, Map<String, ?> values, Set<String> ignored, String where) {
        Registration<T> r = get(type, where);
        Record config = ConfigCodec.decode(r.configType(), values, ignored, where + " (" + r.name() + ")");
        return r.create(config);
    }

    /**
     * The configuration values of a command-line token {@code type[:value...][:key=value...]}: plain values fill the
     * registration's positional keys, {@code key=value} any key. Returns the registration and the values.
     */
    public Map.Entry<Registration<T>, Map<String, Object>> parseToken(String token, String where) {
        String[] parts = token.split(":", -1);
        Registration<T> r = get(parts[0].trim(), where);
        Class<? extends Record> type = r.configType();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            if (eq > 0) {
                String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
                if (values.containsKey(key)) throw new ConfigException(where + ": '" + key + "' is given twice");
                values.put(key, ConfigCodec.parseValue(type, key, part.substring(eq + 1), where));
                continue;
            }
            String slot = null;
            for (String key : r.positional()) {
                if (!values.containsKey(key) && ConfigCodec.accepts(type, key, part)) {
                    slot = key;
                    break;
                }
            }
            if (slot == null) {
                String next = r.positional().stream().filter(k -> !values.containsKey(k)).findFirst().orElse(null);
                if (next == null) throw new ConfigException(where + ": unexpected '" + part + "' (expected " + r.tokenForm() + ")");
                // the value fits no free key: let the first free one explain why
                ConfigCodec.parseValue(type, next, part, where);
            }
            values.put(slot, ConfigCodec.parseValue(type, slot, part, where));
        }
        return Map.entry(r, values);
    }

    /** An instance from a command-line token, e.g. {@code conv:32:3:relu:same} or {@code dense:64:activation=gelu}. */
    public T fromToken(String token, String where) {
        var parsed = parseToken(token, where);
        Registration<T> r = parsed.getKey();
        return r.create(ConfigCodec.decode(r.configType(), parsed.getValue(), Set.of(), where + " (expected " + r.tokenForm() + ")"));
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
