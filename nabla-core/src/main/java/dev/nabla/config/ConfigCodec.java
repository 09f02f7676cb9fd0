package dev.nabla.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns configuration records into JSON-friendly maps and back. Keys are the components' names in snake_case
 * ({@code kernelSize} is {@code "kernel_size"}); a missing key takes the component's {@link Default}, a key without
 * a default is required, and an unknown key is an error. Every error names the key.
 *
 * <p>Only the record class given by the caller (a registered type) is ever instantiated: nothing in the data names
 * a class.
 */
public final class ConfigCodec {

    /** One component of a configuration record, for messages, documentation and the command line. */
    public record Field(String key, Class<?> type, String defaultText, boolean required) {
    }

    private ConfigCodec() {
    }

    /** The fields of a configuration record type, in declaration order. */
    public static List<Field> fields(Class<? extends Record> type) {
        List<Field> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Default d = c.getAnnotation(Default.class);
            out.add(new Field(snake(c.getName()), c.getType(), d == null ? null : d.value(), d == null));
        }
        return out;
    }

    /** The configuration as a map of JSON values, every key present, in declaration order. */
    public static Map<String, Object> encode(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + config.getClass().getName()
                        + " (is the record public?)", e);
            }
            out.put(snake(c.getName()), value == null ? null : write(c.getType(), value, c.getName()));
        }
        return out;
    }

    /**
     * A record of {@code type} from JSON values; {@code ignored} keys may be present without being components (the
     * caller's own keys such as {@code "type"} or {@code "inputs"}). {@code where} starts every message, e.g.
     * {@code "layer 'stem' (conv)"}.
     */
    public static <C extends Record> C decode(Class<C> type, Map<String, ?> values, Set<String> ignored, String where) {
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = new java.util.HashSet<>();
        for (RecordComponent c : components) known.add(snake(c.getName()));
        for (String key : values.keySet()) {
            if (!known.contains(key) && !ignored.contains(key)) {
                throw new ConfigException(where + ": unknown key '" + key + "' (known: " + String.join(", ", keys(type)) + ")");
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = snake(c.getName());
            types[i] = c.getType();
            Object json;
            if (values.containsKey(key)) {
                json = values.get(key);
            } else {
                Default d = c.getAnnotation(Default.class);
                if (d == null) throw new ConfigException(where + ": key '" + key + "' is missing");
                json = c.getType() == String.class && !d.value().equals("null") ? d.value() : ValueTypes.parseText(d.value());
            }
            args[i] = read(c.getType(), json, where, key);
        }
        try {
            Constructor<C> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            // the record's own checks (units >= 1, ...) explain themselves
            throw new ConfigException(where + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(where + ": cannot create " + type.getName() + " (is the record public?)", e);
        }
    }

    /** Reads one component's value from a command-line text (a number, true/false, a word, a {@code [a, b]} list). */
    public static Object parseValue(Class<? extends Record> type, String key, String text, String where) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (snake(c.getName()).equals(key)) {
                Object json = c.getType() == String.class ? text : ValueTypes.parseText(text);
                return ValueTypes.of(c.getType(), where).toJson(cast(read(c.getType(), json, where, key)));
            }
        }
        throw new ConfigException(where + ": unknown key '" + key + "' (known: " + String.join(", ", keys(type)) + ")");
    }

    /** Whether {@code text} is a valid value for the key (used to place positional command-line values). */
    public static boolean accepts(Class<? extends Record> type, String key, String text) {
        try {
            parseValue(type, key, text, "");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The keys of a configuration record type. */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) out.add(snake(c.getName()));
        return out;
    }

    private static Object read(Class<?> type, Object json, String where, String key) {
        if (json == null) {
            if (type.isPrimitive()) throw new ConfigException(where + ": key '" + key + "' cannot be null");
            return null;
        }
        try {
            return ValueTypes.of(type, where).fromJson(json);
        } catch (ArithmeticException e) {
            throw new ConfigException(where + ": key '" + key + "': " + ValueTypes.show(json) + " is out of range", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": key '" + key + "': " + e.getMessage().replaceFirst("^key '" + key + "': ", ""), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static Object write(Class<?> type, Object value, String name) {
        return ValueTypes.of(type, name).toJson(cast(value));
    }

    /** {@code kernelSize} as {@code kernel_size}. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0) sb.append('_');
                sb.append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
