package dev.nabla.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link ValueType}s configuration records may use: numbers, booleans, strings, int and float arrays, and registered types. */
public final class ValueTypes {

    private static final Map<Class<?>, ValueType<?>> TYPES = new ConcurrentHashMap<>();

    static {
        ValueType<Integer> integer = simple(v -> Math.toIntExact(whole(v)), v -> (long) v);
        register(int.class, integer);
        register(Integer.class, integer);
        ValueType<Long> longs = simple(ValueTypes::whole, v -> v);
        register(long.class, longs);
        register(Long.class, longs);
        // a float is written as the shortest decimal that reads back to it (0.1, not 0.10000000149011612)
        ValueType<Float> floats = simple(v -> (float) number(v), ValueTypes::shortest);
        register(float.class, floats);
        register(Float.class, floats);
        ValueType<Double> doubles = simple(ValueTypes::number, v -> v);
        register(double.class, doubles);
        register(Double.class, doubles);
        ValueType<Boolean> booleans = simple(v -> {
            if (v instanceof Boolean b) return b;
            throw new IllegalArgumentException("expected true or false, got " + show(v));
        }, v -> v);
        register(boolean.class, booleans);
        register(Boolean.class, booleans);
        register(String.class, simple(v -> {
            if (v instanceof String s) return s;
            throw new IllegalArgumentException("expected a string, got " + show(v));
        }, v -> v));
        register(int[].class, simple(v -> {
            if (v instanceof Number) return new int[]{Math.toIntExact(whole(v))};
            List<?> list = list(v, "a whole number or a list of them");
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = Math.toIntExact(whole(list.get(i)));
            return out;
        }, v -> {
            List<Object> out = new ArrayList<>();
            for (int x : v) out.add((long) x);
            return out;
        }));
        register(float[].class, simple(v -> {
            if (v instanceof Number) return new float[]{(float) number(v)};
            List<?> list = list(v, "a number or a list of numbers");
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = (float) number(list.get(i));
            return out;
        }, v -> {
            List<Object> out = new ArrayList<>();
            for (float x : v) out.add(shortest(x));
            return out;
        }));
    }

    private ValueTypes() {
    }

    /** Makes {@code type} usable in configuration records. */
    public static <T> void register(Class<T> type, ValueType<T> valueType) {
        TYPES.put(type, valueType);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> ValueType<T> of(Class<T> type, String where) {
        ValueType<T> t = (ValueType<T>) TYPES.get(type);
        if (t == null && !type.isPrimitive() && !type.isArray()) {
            // a type may register itself in its static initialiser: run it (the type is a registered record's
            // component, never a name read from data)
            try {
                Class.forName(type.getName(), true, type.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            t = (ValueType<T>) TYPES.get(type);
        }
        if (t == null && type.isEnum()) {
            t = (ValueType<T>) enumType((Class) type);
            TYPES.put(type, t);
        }
        if (t == null) throw new IllegalStateException(where + ": no ValueType registered for " + type.getName());
        return t;
    }

    /** An enum as its lower-case name; read with its static {@code of(String)} where it has one (aliases), else by name. */
    private static <E extends Enum<E>> ValueType<E> enumType(Class<E> type) {
        java.lang.reflect.Method of;
        try {
            of = type.getMethod("of", String.class);
        } catch (NoSuchMethodException e) {
            of = null;
        }
        java.lang.reflect.Method lookup = of;
        return simple(v -> {
            if (!(v instanceof String s)) throw new IllegalArgumentException("expected a name, got " + show(v));
            if (lookup != null) {
                try {
                    return type.cast(lookup.invoke(null, s));
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause() instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            for (E c : type.getEnumConstants()) if (c.name().equalsIgnoreCase(s)) return c;
            throw new IllegalArgumentException("unknown value " + show(v));
        }, v -> v.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** A value type from two functions. */
    public static <T> ValueType<T> simple(java.util.function.Function<Object, T> read, java.util.function.Function<T, Object> write) {
        return new ValueType<>() {
            @Override
            public T fromJson(Object json) {
                return read.apply(json);
            }

            @Override
            public Object toJson(T value) {
                return write.apply(value);
            }
        };
    }

    /**
     * A command-line or {@link Default} text as a JSON value: whole numbers, numbers, {@code true}/{@code false},
     * {@code null}, {@code [a, b]} lists of those; anything else is a string.
     */
    public static Object parseText(String text) {
        String t = text.trim();
        if (t.equals("null")) return null;
        if (t.equals("true") || t.equals("false")) return Boolean.parseBoolean(t);
        if (t.startsWith("[") && t.endsWith("]")) {
            List<Object> out = new ArrayList<>();
            String inner = t.substring(1, t.length() - 1).trim();
            if (!inner.isEmpty()) for (String part : inner.split(",", -1)) out.add(parseText(part));
            return out;
        }
        if (t.matches("[-+]?\\d+")) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return t;
            }
        }
        if (t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) return Double.parseDouble(t);
        return t;
    }

    private static Object shortest(float v) {
        return Float.isFinite(v) ? Double.parseDouble(Float.toString(v)) : (double) v;
    }

    static long whole(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return (long) n.doubleValue();
        }
        throw new IllegalArgumentException("expected a whole number, got " + show(v));
    }

    static double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("expected a number, got " + show(v));
    }

    static List<?> list(Object v, String expected) {
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException("expected " + expected + ", got " + show(v));
    }

    /** A JSON value as a message shows it: strings quoted. */
    public static String show(Object v) {
        if (v instanceof String s) return "\"" + s + "\"";
        return String.valueOf(v);
    }
}
