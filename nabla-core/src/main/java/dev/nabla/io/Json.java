package dev.nabla.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer for Nabla's file headers and manifests.
 *
 * <p>Parsed values are plain Java objects: an object is a {@link LinkedHashMap}{@code <String, Object>} (key order of
 * the text kept), an array an {@link ArrayList}{@code <Object>}, then {@link String}, {@link Boolean}, {@code null},
 * and numbers: a {@link Long} for an integer written without fraction or exponent that fits in a {@code long}, a
 * {@link Double} for everything else (so {@code 3} reads as {@code 3L} and {@code 3.0} as {@code 3.0d}; integers
 * beyond the {@code long} range become the nearest {@code double}).
 *
 * <p>The reader is strict, because its input may come from an untrusted file: no comments, trailing commas, single
 * quotes, leading zeros, {@code NaN}/{@code Infinity}, unescaped control characters, unpaired surrogates, duplicate
 * keys, numbers beyond the {@code double} range, or nesting deeper than {@value #MAX_DEPTH}. Every error is a
 * {@link JsonException} carrying the offset, line and column.
 *
 * <p>The writer accepts {@link Map} (String keys), {@link List}, {@code Object[]}, {@link String}, {@link Boolean},
 * {@code null}, {@link Long}/{@link Integer}/{@link Short}/{@link Byte}, {@link BigInteger}, {@link BigDecimal},
 * finite {@link Double}/{@link Float}, and {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}. Doubles
 * are written in the shortest form that reads back to the same bits. A {@code float} is written as its exact
 * {@code double} value ({@code 0.1f} as {@code 0.10000000149011612}), so it reads back as a {@code Double} equal to
 * {@code (double) f} and casting that to {@code float} gives back {@code f}.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted when reading or writing; guards the stack and cyclic input. */
    public static final int MAX_DEPTH = 512;

    private Json() {
    }

    // ---------------------------------------------------------------- reading

    /** Parses one JSON value (surrounded by optional whitespace) from {@code text}. */
    public static Object parse(String text) {
        return parse(text, MAX_DEPTH);
    }

    /**
     * Parses like {@link #parse(String)} but accepts at most {@code maxDepth} levels of nested arrays/objects. A reader
     * of a fixed-shape document passes its real depth, so hostile input cannot make it build millions of nested
     * containers (an empty {@code {}} costs three bytes of text but tens of bytes of heap).
     */
    public static Object parse(String text, int maxDepth) {
        if (text == null) throw new NullPointerException("text");
        if (maxDepth < 0 || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth " + maxDepth + " is outside [0, " + MAX_DEPTH + "]");
        }
        Parser p = new Parser(text, maxDepth);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("unexpected " + p.describe(p.pos) + " after the JSON value");
        return value;
    }

    private static final class Parser {
        private final String s;
        private final int maxDepth;
        private int pos;

        Parser(String s, int maxDepth) {
            this.s = s;
            this.maxDepth = maxDepth;
        }

        void skipWhitespace() {
            // exactly the four JSON whitespace characters: anything else (BOM, NBSP) is an error, not silently eaten
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
                pos++;
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) throw error("unexpected end of input, expected a value");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected " + describe(pos) + ", expected a value");
                }
            };
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++; // '{'
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') throw error(pos >= s.length() ? "unexpected end of input, expected a string key"
                        : "unexpected " + describe(pos) + ", expected a string key");
                int keyPos = pos;
                String key = string();
                // a later duplicate silently winning is how a crafted header hides a second meaning: reject it
                if (map.containsKey(key)) throw error("duplicate key \"" + key + "\"", keyPos);
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return map;
                } else {
                    throw error(pos >= s.length() ? "unexpected end of input, expected ',' or '}'"
                            : "unexpected " + describe(pos) + ", expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++; // '['
            ArrayList<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return list;
                } else {
                    throw error(pos >= s.length() ? "unexpected end of input, expected ',' or ']'"
                            : "unexpected " + describe(pos) + ", expected ',' or ']'");
                }
            }
        }

        private String string() {
            int start = ++pos; // after the opening quote
            // fast path: no escapes, the common case for keys and names
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') return s.substring(start, pos++);
                if (c == '\\') break;
                checkRawChar(c);
                pos++;
            }
            StringBuilder sb = new StringBuilder(s.length() - start < 64 ? 16 : 64).append(s, start, pos);
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c != '\\') {
                    int from = pos;
                    checkRawChar(c); // moves past the low half of a surrogate pair
                    sb.append(s, from, ++pos);
                    continue;
                }
                int escPos = pos;
                if (++pos >= s.length()) break;
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(escPos);
                        if (Character.isHighSurrogate(u)) {
                            // a high surrogate must be completed by an escaped low one, else the string is not Unicode
                            if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                                int lowPos = pos;
                                pos += 2;
                                char low = hex4(lowPos);
                                if (!Character.isLowSurrogate(low)) {
                                    throw error("unpaired surrogate \\u" + hex(u) + " in string", escPos);
                                }
                                sb.append(u).append(low);
                            } else {
                                throw error("unpaired surrogate \\u" + hex(u) + " in string", escPos);
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw error("unpaired surrogate \\u" + hex(u) + " in string", escPos);
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw error("invalid escape \\" + printable(e) + " in string", escPos);
                }
            }
            throw error("unterminated string", start - 1);
        }

        /** Reads the 4 hex digits after "\\u" (pos is at the first digit); escPos is the backslash, for errors. */
        private char hex4(int escPos) {
            if (pos + 4 > s.length()) throw error("truncated \\u escape in string", escPos);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                // Character.digit accepts non-ASCII digits (fullwidth etc.); JSON allows only [0-9a-fA-F]
                if (d < 0 || s.charAt(pos + i) > 'f') throw error("invalid \\u escape in string", escPos);
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private void checkRawChar(char c) {
            if (c < 0x20) throw error("unescaped control character " + describe(pos) + " in string");
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                    throw error("unpaired surrogate in string");
                }
                pos++; // the low half is checked here, skip it
            } else if (Character.isLowSurrogate(c)) {
                throw error("unpaired surrogate in string");
            }
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid number: expected a digit");
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) throw error("invalid number: leading zero", start);
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("invalid number: expected a digit after '.'");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("invalid number: expected a digit in the exponent");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException beyondLong) {
                    // falls through: documented as "nearest double"
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) throw error("number " + abbreviate(text) + " is out of range", start);
            return d;
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a value");
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error(pos >= s.length() ? "unexpected end of input, expected '" + c + "'"
                        : "unexpected " + describe(pos) + ", expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        }

        String describe(int at) {
            if (at >= s.length()) return "end of input";
            return "character " + printable(s.charAt(at));
        }

        JsonException error(String what) {
            return error(what, pos);
        }

        JsonException error(String what, int at) {
            int line = 1;
            int lineStart = 0;
            int end = Math.min(at, s.length());
            for (int i = 0; i < end; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new JsonException("JSON: " + what + " at line " + line + ", column " + (at - lineStart + 1)
                    + " (offset " + at + ")", at);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static String abbreviate(String text) {
            return text.length() <= 40 ? text : text.substring(0, 37) + "...";
        }
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code value} as compact JSON (no whitespace). */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * Writes {@code value} as JSON: compact, or with {@code pretty} indented by two spaces per level, with arrays of
     * scalars kept on one line ({@code "shape": [3, 2]}). Throws {@link JsonException} for values JSON cannot hold
     * (NaN, infinities, non-String keys, unsupported types, unpaired surrogates, nesting beyond {@value #MAX_DEPTH}).
     */
    public static String write(Object value, boolean pretty) {
        Writer w = new Writer(pretty);
        w.value(value, 0);
        return w.sb.toString();
    }

    private static final class Writer {
        final StringBuilder sb = new StringBuilder();
        final boolean pretty;
        // path segments (String key or Integer index), only turned into text when an error is reported
        final ArrayList<Object> path = new ArrayList<>();

        Writer(boolean pretty) {
            this.pretty = pretty;
        }

        void value(Object v, int depth) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String str) {
                string(str);
            } else if (v instanceof Boolean b) {
                sb.append(b.booleanValue());
            } else if (v instanceof Number n) {
                number(n);
            } else if (v instanceof Map<?, ?> m) {
                object(m, depth + 1);
            } else if (v instanceof List<?> l) {
                array(l, depth + 1);
            } else if (v instanceof Object[] a) {
                array(Arrays.asList(a), depth + 1);
            } else if (v instanceof float[] a) {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) separatorInline();
                    path.add(i);
                    floating(a[i]); // widened exactly: see the class comment
                    path.remove(path.size() - 1);
                }
                sb.append(']');
            } else if (v instanceof double[] a) {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) separatorInline();
                    path.add(i);
                    floating(a[i]);
                    path.remove(path.size() - 1);
                }
                sb.append(']');
            } else if (v instanceof int[] a) {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) separatorInline();
                    sb.append(a[i]);
                }
                sb.append(']');
            } else if (v instanceof long[] a) {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) separatorInline();
                    sb.append(a[i]);
                }
                sb.append(']');
            } else {
                throw error("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }

        private void number(Number n) {
            if (n instanceof Double || n instanceof Float) {
                floating(n.doubleValue());
            } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                    || n instanceof BigInteger) {
                sb.append(n);
            } else if (n instanceof BigDecimal bd) {
                sb.append(bd); // toString is valid JSON ("1E+3" included)
            } else {
                // AtomicLong, custom Numbers...: their text form is not guaranteed to be JSON
                throw error("cannot write a " + n.getClass().getName() + " as JSON");
            }
        }

        private void floating(double d) {
            if (!Double.isFinite(d)) throw error("JSON cannot represent " + d);
            // Double.toString is the shortest text that parses back to the same double (JDK 19+), and its forms
            // ("1.0", "1.0E-5", "-0.0") are all valid JSON numbers
            sb.append(Double.toString(d));
        }

        private void object(Map<?, ?> m, int depth) {
            checkDepth(depth);
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw error("object key " + e.getKey() + " is not a String");
                }
                if (!first) sb.append(',');
                first = false;
                newline(depth);
                path.add(key);
                string(key);
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), depth);
                path.remove(path.size() - 1);
            }
            newline(depth - 1);
            sb.append('}');
        }

        private void array(List<?> l, int depth) {
            checkDepth(depth);
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            // arrays of scalars (shapes, offsets) read best on one line
            boolean inline = !pretty || l.stream().noneMatch(Writer::isContainer);
            sb.append('[');
            int i = 0;
            for (Object v : l) {
                if (i > 0) {
                    if (inline) separatorInline();
                    else sb.append(',');
                }
                if (!inline) newline(depth);
                path.add(i++);
                value(v, depth);
                path.remove(path.size() - 1);
            }
            if (!inline) newline(depth - 1);
            sb.append(']');
        }

        private static boolean isContainer(Object v) {
            return v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Object[] || v instanceof float[]
                    || v instanceof double[] || v instanceof int[] || v instanceof long[];
        }

        private void separatorInline() {
            sb.append(pretty ? ", " : ",");
        }

        private void newline(int depth) {
            if (!pretty) return;
            sb.append('\n');
            sb.repeat(' ', 2 * depth);
        }

        private void string(String str) {
            sb.append('"');
            int runStart = 0;
            for (int i = 0; i < str.length(); i++) {
                char c = str.charAt(i);
                String esc = switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> c < 0x20 ? "\\u" + hex(c) : null;
                };
                if (esc == null) {
                    if (Character.isHighSurrogate(c) && i + 1 < str.length()
                            && Character.isLowSurrogate(str.charAt(i + 1))) {
                        i++; // a proper pair: written as is, UTF-8 encodes it
                    } else if (Character.isSurrogate(c)) {
                        // would become '?' in UTF-8 and could never be read back: refuse instead of corrupting
                        throw error("string has an unpaired surrogate at index " + i);
                    }
                    continue;
                }
                sb.append(str, runStart, i).append(esc);
                runStart = i + 1;
            }
            sb.append(str, runStart, str.length()).append('"');
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels (a cyclic structure?)");
        }

        private JsonException error(String what) {
            StringBuilder p = new StringBuilder("$");
            for (Object seg : path) {
                if (seg instanceof Integer i) p.append('[').append(i).append(']');
                else p.append('.').append(seg);
            }
            return new JsonException("JSON: " + what + " (at " + p + ")");
        }
    }

    // ---------------------------------------------------------------- typed access

    /** {@code value} as a JSON object; {@code what} names it in the error ("manifest", "tensor 'w'"). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object value, String what) {
        if (value instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw typeError(what, "an object", value);
    }

    /** {@code value} as a JSON array. */
    @SuppressWarnings("unchecked")
    public static List<Object> asArray(Object value, String what) {
        if (value instanceof List<?> l) return (List<Object>) l;
        throw typeError(what, "an array", value);
    }

    /** {@code value} as a string. */
    public static String asString(Object value, String what) {
        if (value instanceof String s) return s;
        throw typeError(what, "a string", value);
    }

    /** {@code value} as a boolean. */
    public static boolean asBoolean(Object value, String what) {
        if (value instanceof Boolean b) return b;
        throw typeError(what, "a boolean", value);
    }

    /** {@code value} as an integer written without fraction or exponent ({@code 3}, not {@code 3.0}). */
    public static long asLong(Object value, String what) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw typeError(what, "an integer", value);
    }

    /** {@code value} as an integer in {@code [min, max]}. */
    public static long asLong(Object value, String what, long min, long max) {
        long v = asLong(value, what);
        if (v < min || v > max) throw new JsonException(what + ": " + v + " is outside [" + min + ", " + max + "]");
        return v;
    }

    /** {@code value} as a number (integer or not). */
    public static double asDouble(Object value, String what) {
        if (value instanceof Number n) return n.doubleValue();
        throw typeError(what, "a number", value);
    }

    private static JsonException typeError(String what, String expected, Object value) {
        return new JsonException(what + ": expected " + expected + ", got " + describeValue(value));
    }

    private static String describeValue(Object v) {
        if (v == null) return "null";
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?>) return "an array";
        if (v instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof Number n) return n.toString();
        return "a " + v.getClass().getSimpleName();
    }
}
