package dev.nabla.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and reader, enough for the benchmark's one-object-per-line results.
 *
 * <p>Writing: build an ordered object with {@link #object()} and {@link Obj#put}, then {@link Obj#toString()} gives
 * one line in Python's {@code json.dumps} style ({@code {"a": 1, "b": [2, 3]}}). Values may be {@code null},
 * booleans, numbers, strings, {@link Obj}, maps, lists and arrays; non-finite numbers are written as {@code null}.
 *
 * <p>Reading: {@link #parse(String)} returns {@link LinkedHashMap}, {@link ArrayList}, {@link String}, {@link Long}
 * (integers), {@link Double} (other numbers), {@link Boolean} or {@code null}.
 */
public final class Json {

    private Json() {
    }

    /** A new, empty, ordered JSON object. */
    public static Obj object() {
        return new Obj();
    }

    /** An ordered JSON object under construction. */
    public static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Obj() {
        }

        /** Sets {@code key} to {@code value} (replacing an earlier value, which keeps its position). */
        public Obj put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        /** The fields as set so far, in order (a live view). */
        public Map<String, Object> fields() {
            return fields;
        }

        /** This object as one line of JSON. */
        @Override
        public String toString() {
            return write(this);
        }
    }

    // ---------------------------------------------------------------- writing

    /** {@code value} as one line of JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Obj obj) {
            write(out, obj.fields);
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) out.append("null");
            else if (value instanceof Float f) out.append(Float.toString(f));
            else out.append(Double.toString(d));
        } else if (value instanceof Number n) {
            out.append(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                quote(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue());
                if (it.hasNext()) out.append(", ");
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) out.append(", ");
                first = false;
                write(out, item);
            }
            out.append(']');
        } else if (value instanceof double[] ds) {
            out.append('[');
            for (int i = 0; i < ds.length; i++) {
                if (i > 0) out.append(", ");
                write(out, ds[i]);
            }
            out.append(']');
        } else if (value instanceof int[] is) {
            out.append('[');
            for (int i = 0; i < is.length; i++) {
                if (i > 0) out.append(", ");
                out.append(is[i]);
            }
            out.append(']');
        } else if (value instanceof Object[] os) {
            write(out, List.of(os));
        } else {
            quote(out, value.toString());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    // ---------------------------------------------------------------- reading

    /** Parses one JSON value; throws {@link IllegalArgumentException} on malformed input. */
    public static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.skipSpace();
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos != text.length()) throw reader.error("trailing characters");
        return value;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("json: " + what + " at character " + pos);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        void expect(char c) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
            pos++;
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) throw error("unexpected end");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("unexpected token");
            pos += word.length();
            return value;
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a key");
                String key = string();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) throw error("unterminated string");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("bad \\u escape");
                        try {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Number number() {
            int start = pos;
            boolean integral = true;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c >= '0' && c <= '9' || c == '-' || c == '+') {
                    pos++;
                } else if (c == '.' || c == 'e' || c == 'E') {
                    integral = false;
                    pos++;
                } else {
                    break;
                }
            }
            String token = s.substring(start, pos);
            if (token.isEmpty()) throw error("unexpected character");
            try {
                if (integral) {
                    try {
                        return Long.parseLong(token);
                    } catch (NumberFormatException tooLong) {
                        return Double.parseDouble(token);
                    }
                }
                return Double.parseDouble(token);
            } catch (NumberFormatException bad) {
                pos = start;
                throw error("bad number '" + token + "'");
            }
        }
    }
}
