package dev.nabla.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nabla's one JSON codec (RFC 8259), built on Jackson's streaming API: the reader and writer for file headers,
 * manifests, {@code model.json} and the command line's {@code --json} output, and {@link #mapper()} for typed values.
 *
 * <p>Parsed values are plain Java objects: an object is a {@link LinkedHashMap}{@code <String, Object>} (key order of
 * the text kept), an array an {@link ArrayList}{@code <Object>}, then {@link String}, {@link Boolean}, {@code null},
 * and numbers: a {@link Long} for an integer written without fraction or exponent that fits in a {@code long}, a
 * {@link Double} for everything else (so {@code 3} reads as {@code 3L} and {@code 3.0} as {@code 3.0d}; integers
 * beyond the {@code long} range become the nearest {@code double}).
 *
 * <p>The reader is strict, because its input may come from an untrusted file. It refuses:
 * <ul>
 *   <li>anything Jackson's strict defaults refuse: comments, trailing commas, single quotes, unquoted keys, leading
 *       zeros or plus signs, {@code NaN}/{@code Infinity}, unescaped control characters in strings, whitespace other
 *       than space, tab, CR and LF (a byte-order mark or a no-break space is an error, not silently eaten);</li>
 *   <li>duplicate keys in an object (a later duplicate silently winning is how a crafted file hides a second
 *       meaning), checked by the reader itself so that the error names the key and where it is;</li>
 *   <li>nesting deeper than {@value #MAX_DEPTH} levels, or the smaller depth passed to {@link #parse(String, int)};</li>
 *   <li>any content after the value, a second value included ({@code "1 2"});</li>
 *   <li>numbers beyond the {@code double} range ({@code 1e999}) and numbers longer than
 *       {@value #MAX_NUMBER_LENGTH} characters;</li>
 *   <li>strings longer than {@value #MAX_STRING_LENGTH} characters, keys longer than {@value #MAX_KEY_LENGTH}, and
 *       strings with an unpaired UTF-16 surrogate ({@code "\ud800"}: not Unicode text; Jackson lets it through).</li>
 * </ul>
 * Every error is a {@link JsonException} whose message names the line, column and character offset, and whose
 * {@link JsonException#position()} is that offset.
 *
 * <p>The writer accepts {@link Map} (String keys), {@link List}, {@code Object[]}, {@link String}, {@link Boolean},
 * {@code null}, {@link Long}/{@link Integer}/{@link Short}/{@link Byte}, {@link BigInteger}, {@link BigDecimal},
 * finite {@link Double}/{@link Float}, and {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}. Doubles
 * are written in the shortest form that reads back to the same bits ({@link Double#toString(double)}). A
 * {@code float} is written as its exact {@code double} value ({@code 0.1f} as {@code 0.10000000149011612}), so it
 * reads back as a {@code Double} equal to {@code (double) f} and casting that to {@code float} gives back {@code f}.
 * NaN, infinities, non-String keys, other types, unpaired surrogates and nesting beyond {@value #MAX_DEPTH} (a
 * cyclic structure) are a {@link JsonException} naming the path of the bad value ({@code $.lr[1]}).
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted when reading or writing; guards the stack and cyclic input. */
    public static final int MAX_DEPTH = 512;

    /** Longest number accepted when reading, in characters, sign, point and exponent included. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** Longest string value accepted when reading, in characters (Jackson's default). */
    public static final int MAX_STRING_LENGTH = 20_000_000;

    /** Longest object key accepted when reading, in characters (Jackson's default). */
    public static final int MAX_KEY_LENGTH = 50_000;

    /**
     * The factory behind {@link #parse} and {@link #write}. Its own depth limit is one level above {@link #MAX_DEPTH}
     * so that the tree reader's check, which knows the caller's limit and reports where, always fires first; the
     * reader checks duplicate keys itself (with the key's position), so Jackson's detector would only repeat it.
     */
    private static final JsonFactory TREE_FACTORY = factory(MAX_DEPTH + 1, false).build();

    private Json() {
    }

    private static JsonFactoryBuilder factory(int maxDepth, boolean detectDuplicates) {
        return new JsonFactoryBuilder()
                // spelled out although they are Jackson's defaults: this is the contract of the class comment. One
                // feature per call: the varargs disable(first, other...) of jackson-core 2.x *enables* the others
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .disable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonReadFeature.ALLOW_MISSING_VALUES)
                .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, detectDuplicates)
                // hostile text must not be echoed into exception messages
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // correctly rounded, like Double.parseDouble
                // keys of untrusted files must not fill the JVM's string pool
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_KEY_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(JsonWriteFeature.QUOTE_FIELD_NAMES)
                .disable(JsonWriteFeature.ESCAPE_NON_ASCII);
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
        JsonParser p = null;
        try {
            p = TREE_FACTORY.createParser(text);
            TreeReader reader = new TreeReader(p, text, maxDepth);
            JsonToken first = p.nextToken();
            if (first == null) throw syntaxError(text, "unexpected end of input, expected a value", text.length(), null);
            Object value = reader.value(first, 0);
            reader.expectEnd();
            return value;
        } catch (JacksonException e) {
            throw translate(e, p, text);
        } catch (IOException e) {
            // a String source cannot fail to read; kept so that nothing but JsonException escapes
            throw new JsonException("JSON: " + e.getMessage(), 0, e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // closing a String source
                }
            }
        }
    }

    /** Builds the plain-Java tree from Jackson's tokens, with the checks Jackson does not make. */
    private static final class TreeReader {
        private final JsonParser p;
        private final String text;
        private final int maxDepth;

        TreeReader(JsonParser p, String text, int maxDepth) {
            this.p = p;
            this.text = text;
            this.maxDepth = maxDepth;
        }

        /** The value that starts with the current token {@code t}, inside {@code depth} containers. */
        Object value(JsonToken t, int depth) throws IOException {
            switch (t) {
                case START_OBJECT: {
                    checkDepth(depth + 1);
                    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                    JsonToken k;
                    while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        checkSurrogates(key);
                        if (map.containsKey(key)) throw error("duplicate key \"" + abbreviate(key) + "\"", tokenStart());
                        map.put(key, value(p.nextToken(), depth + 1));
                    }
                    if (k != JsonToken.END_OBJECT) throw error("unexpected end of input, expected '}'", text.length());
                    return map;
                }
                case START_ARRAY: {
                    checkDepth(depth + 1);
                    ArrayList<Object> list = new ArrayList<>();
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e == null) throw error("unexpected end of input, expected ']'", text.length());
                        list.add(value(e, depth + 1));
                    }
                    return list;
                }
                case VALUE_STRING: {
                    String s = p.getText();
                    checkSurrogates(s);
                    return s;
                }
                case VALUE_NUMBER_INT:
                    checkNumberLength();
                    if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) return p.getLongValue();
                    return finite(Double.parseDouble(p.getText())); // beyond long: the nearest double
                case VALUE_NUMBER_FLOAT:
                    checkNumberLength();
                    return finite(p.getDoubleValue());
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    // Jackson reports malformed text itself; this is only reached if a token kind is added
                    throw error("unexpected " + t + ", expected a value", tokenStart());
            }
        }

        /** After the root value: only whitespace may follow. */
        void expectEnd() throws IOException {
            int end = (int) Math.min(p.currentLocation().getCharOffset(), text.length());
            JsonToken next;
            try {
                next = p.nextToken();
            } catch (JacksonException garbage) {
                next = JsonToken.NOT_AVAILABLE;
            }
            if (next == null) return;
            int at = Math.max(end, 0);
            while (at < text.length() && isJsonWhitespace(text.charAt(at))) at++;
            throw error("unexpected " + describe(text, at) + " after the JSON value", at);
        }

        private Double finite(double d) throws IOException {
            if (Double.isInfinite(d)) throw error("number " + abbreviate(p.getText()) + " is out of range", tokenStart());
            return d;
        }

        /** Jackson's own limit counts only some of the characters (not the sign, point or exponent): exact here. */
        private void checkNumberLength() throws IOException {
            int length = p.getTextLength();
            if (length > MAX_NUMBER_LENGTH) {
                throw error("number value length (" + length + ") exceeds the maximum allowed (" + MAX_NUMBER_LENGTH
                        + ")", tokenStart());
            }
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels", tokenStart());
        }

        private void checkSurrogates(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw error("unpaired surrogate " + printable(c) + " in string", tokenStart());
            }
        }

        private int tokenStart() {
            return (int) Math.min(Math.max(p.currentTokenLocation().getCharOffset(), 0), text.length());
        }

        private JsonException error(String what, int at) {
            return syntaxError(text, what, at, null);
        }
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** A Jackson parse error as a JsonException: its text tidied up, its place as line, column and offset. */
    private static JsonException translate(JacksonException e, JsonParser p, String text) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        long at = -1;
        JsonLocation where = e.getLocation();
        if (where != null) at = where.getCharOffset();
        if (at < 0 && p != null) at = p.currentLocation().getCharOffset(); // constraint errors carry no location
        int offset = (int) Math.min(Math.max(at, 0), text.length());
        // Jackson points just past a bad character between tokens, and at the end of a non-standard token
        if (original.startsWith("Illegal character (") && offset > 0) offset--;
        Matcher token = JacksonMessages.TOKEN_IN_MESSAGE.matcher(original);
        if (token.find() && offset >= token.group(1).length()
                && text.startsWith(token.group(1), offset - token.group(1).length())) {
            offset -= token.group(1).length();
        }
        return syntaxError(text, JacksonMessages.tidy(original), offset, e);
    }

    /** Turning Jackson's parse messages into this class's: only loaded when there is an error to report. */
    private static final class JacksonMessages {
        private static final Pattern CHAR_IN_MESSAGE =
                Pattern.compile("\\('.{1,2}' \\(code (\\d+)(?: / 0x[0-9a-fA-F]+)?\\)\\)");
        private static final Pattern CTRL_IN_MESSAGE = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
        private static final Pattern ENABLE_HINT = Pattern.compile(": enable `[^`]*` to allow");
        private static final Pattern COMMENT_HINT =
                Pattern.compile(" \\(not recognized as one since Feature '[^']*' not enabled for parser\\)");
        private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");
        private static final Pattern GLUED_END = Pattern.compile("end-of-input(?=[A-Za-z])");
        private static final Pattern UNEXPECTED_CHAR = Pattern.compile("^(Unexpected character [^ :]+): (\\w)");
        private static final Pattern TOKEN_IN_MESSAGE = Pattern.compile("^Non-standard token '([^']*)'");

        /** Jackson's message without its configuration hints and internal detail, in this class's style. */
        private static String tidy(String message) {
            String m = message;
            int marker = m.indexOf(" (start marker at ");
            if (marker >= 0) m = m.substring(0, marker);
            m = ENABLE_HINT.matcher(m).replaceAll("");
            m = COMMENT_HINT.matcher(m).replaceAll("");
            m = CONSTRAINT_SOURCE.matcher(m).replaceAll("");
            m = GLUED_END.matcher(m).replaceAll("end of input: ");
            m = m.replace("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                            "expected a value")
                    .replace("was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                            "expected a value")
                    .replace("was expecting", "expected")
                    .replace("end-of-input", "end of input");
            m = replaceCodes(CTRL_IN_MESSAGE, replaceCodes(CHAR_IN_MESSAGE, m));
            Matcher unexpected = UNEXPECTED_CHAR.matcher(m);
            if (unexpected.find()) {
                m = unexpected.group(1) + ", " + Character.toLowerCase(unexpected.group(2).charAt(0))
                        + m.substring(unexpected.end());
            }
            return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }

        private static String replaceCodes(Pattern pattern, String m) {
            Matcher matcher = pattern.matcher(m);
            StringBuilder sb = new StringBuilder();
            while (matcher.find()) {
                int code = Integer.parseInt(matcher.group(1));
                String shown = code <= Character.MAX_VALUE ? printable((char) code) : String.format("U+%04X", code);
                matcher.appendReplacement(sb, Matcher.quoteReplacement(shown));
            }
            return matcher.appendTail(sb).toString();
        }
    }

    private static JsonException syntaxError(String text, String what, int at, Throwable cause) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(at, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonException("JSON: " + what + " at line " + line + ", column " + (at - lineStart + 1)
                + " (offset " + at + ")", at, cause);
    }

    private static String describe(String text, int at) {
        if (at >= text.length()) return "end of input";
        return "character " + printable(text.charAt(at));
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
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
        StringBuilderWriter out = new StringBuilderWriter();
        try (JsonGenerator g = TREE_FACTORY.createGenerator(out)) {
            Indenter indenter = pretty ? new Indenter() : null;
            if (indenter != null) g.setPrettyPrinter(indenter);
            new TreeWriter(g, indenter).value(value);
        } catch (IOException e) {
            // a StringBuilder cannot fail to take characters, and the tree writer checks every value first
            throw new JsonException("JSON: " + e.getMessage());
        }
        return out.sb.toString();
    }

    /** Walks a plain-Java tree into a generator, checking what JSON cannot hold and keeping the path for errors. */
    private static final class TreeWriter {
        private final JsonGenerator g;
        private final Indenter indenter;
        private int depth; // containers open
        // the path to the value being written, for errors: at each open container (1-based) the key, or when that is
        // null the index, or when that is -1 nothing yet
        private final String[] keys = new String[MAX_DEPTH + 2];
        private final int[] indices = new int[MAX_DEPTH + 2];

        TreeWriter(JsonGenerator g, Indenter indenter) {
            this.g = g;
            this.indenter = indenter;
        }

        void value(Object v) throws IOException {
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                string(s);
                g.writeString(s);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Number n) {
                number(n);
            } else if (v instanceof Map<?, ?> m) {
                object(m);
            } else if (v instanceof List<?> l) {
                array(l);
            } else if (v instanceof Object[] a) {
                array(Arrays.asList(a));
            } else if (v instanceof float[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int i = 0; i < a.length; i++) {
                    at(i);
                    floating(a[i]); // widened exactly: see the class comment
                }
                g.writeEndArray();
                depth--;
            } else if (v instanceof double[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int i = 0; i < a.length; i++) {
                    at(i);
                    floating(a[i]);
                }
                g.writeEndArray();
                depth--;
            } else if (v instanceof int[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (int x : a) g.writeNumber(x);
                g.writeEndArray();
                depth--;
            } else if (v instanceof long[] a) {
                open(true);
                g.writeStartArray(a, a.length);
                for (long x : a) g.writeNumber(x);
                g.writeEndArray();
                depth--;
            } else {
                throw error("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }

        private void number(Number n) throws IOException {
            if (n instanceof Double || n instanceof Float) {
                floating(n.doubleValue());
            } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
                g.writeNumber(n.longValue());
            } else if (n instanceof BigInteger b) {
                g.writeNumber(b);
            } else if (n instanceof BigDecimal bd) {
                g.writeNumber(bd); // toString, which is valid JSON ("1E+3" included)
            } else {
                // AtomicLong, custom Numbers...: their text form is not guaranteed to be JSON
                throw error("cannot write a " + n.getClass().getName() + " as JSON");
            }
        }

        private void floating(double d) throws IOException {
            if (!Double.isFinite(d)) throw error("JSON cannot represent " + d);
            // Double.toString: the shortest text that parses back to the same double (JDK 19+), and its forms
            // ("1.0", "1.0E-5", "-0.0") are all valid JSON numbers
            g.writeNumber(d);
        }

        private void object(Map<?, ?> m) throws IOException {
            open(false);
            g.writeStartObject(m);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    keys[depth] = null;
                    indices[depth] = -1;
                    throw error("object key " + e.getKey() + " is not a String");
                }
                keys[depth] = key;
                string(key);
                g.writeFieldName(key);
                value(e.getValue());
            }
            g.writeEndObject();
            depth--;
        }

        private void array(List<?> l) throws IOException {
            // arrays of scalars (shapes, offsets) read best on one line
            boolean inline = true;
            if (indenter != null) {
                for (Object v : l) {
                    if (isContainer(v)) {
                        inline = false;
                        break;
                    }
                }
            }
            open(inline);
            g.writeStartArray(l, l.size());
            int i = 0;
            for (Object v : l) {
                at(i++);
                value(v);
            }
            g.writeEndArray();
            depth--;
        }

        private static boolean isContainer(Object v) {
            return v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Object[] || v instanceof float[]
                    || v instanceof double[] || v instanceof int[] || v instanceof long[];
        }

        /** Enters a container (an array laid out on one line when {@code inline} and pretty). */
        private void open(boolean inline) {
            if (depth + 1 > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels (a cyclic structure?)");
            depth++;
            keys[depth] = null;
            indices[depth] = -1;
            if (indenter != null) indenter.nextArrayInline = inline;
        }

        private void at(int index) {
            keys[depth] = null;
            indices[depth] = index;
        }

        private void string(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a proper pair: written as is, UTF-8 encodes it
                    continue;
                }
                // would become '?' in UTF-8 and could never be read back: refuse instead of corrupting
                throw error("string has an unpaired surrogate at index " + i);
            }
        }

        private JsonException error(String what) {
            StringBuilder p = new StringBuilder("$");
            for (int d = 1; d <= depth; d++) {
                if (keys[d] != null) p.append('.').append(keys[d]);
                else if (indices[d] >= 0) p.append('[').append(indices[d]).append(']');
            }
            return new JsonException("JSON: " + what + " (at " + p + ")");
        }
    }

    /**
     * The pretty layout: two spaces per level, {@code "key": value}, an object's entries and an array of containers
     * one per line, an array of scalars on one line ({@code [3, 2]}), empty containers as {@code {}} and {@code []}.
     * One instance per written document: it keeps the open containers' layout.
     */
    private static final class Indenter implements PrettyPrinter {
        private static final char[] NEWLINE_AND_SPACES = ("\n" + " ".repeat(2 * (MAX_DEPTH + 1))).toCharArray();

        private final boolean[] inline = new boolean[MAX_DEPTH + 2];
        private int level;
        boolean nextArrayInline;

        private void newline(JsonGenerator g, int depth) throws IOException {
            g.writeRaw(NEWLINE_AND_SPACES, 0, 1 + 2 * depth);
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
            // one value per document
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            inline[++level] = false;
            g.writeRaw('{');
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g, level);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g, level);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries > 0) newline(g, level - 1);
            level--;
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            inline[++level] = nextArrayInline;
            g.writeRaw('[');
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!inline[level]) newline(g, level);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            if (inline[level]) {
                g.writeRaw(", ");
            } else {
                g.writeRaw(',');
                newline(g, level);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (!inline[level] && values > 0) newline(g, level - 1);
            level--;
            g.writeRaw(']');
        }
    }

    /** A Writer into a StringBuilder, without StringWriter's locking. */
    private static final class StringBuilderWriter extends Writer {
        final StringBuilder sb = new StringBuilder(256);

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    // ---------------------------------------------------------------- typed values

    /**
     * The shared, strictly configured Jackson mapper, for typed values (records, configuration classes) where the
     * plain-Java tree of {@link #parse} would need hand-written field checks. It reads with the same parser rules as
     * {@link #parse} (no comments, {@code NaN}, single quotes, trailing commas; nesting at most {@value #MAX_DEPTH};
     * the same string and key length limits, and numbers of at most {@value #MAX_NUMBER_LENGTH} digits as Jackson
     * counts them) and also refuses:
     * <ul>
     *   <li>duplicate keys ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}) and content after the value
     *       ({@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS});</li>
     *   <li>unknown properties ({@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES});</li>
     *   <li>a missing or {@code null} primitive ({@link DeserializationFeature#FAIL_ON_NULL_FOR_PRIMITIVES}): a record
     *       component that may be absent must have a boxed or reference type;</li>
     *   <li>scalar coercions: {@code "3"} or {@code 2.5} for an {@code int}, {@code 3} or {@code true} for a
     *       {@code String}, {@code 1} or {@code "true"} for a {@code boolean}, numbers for enums (an integer for a
     *       {@code double} is fine);</li>
     *   <li>non-finite values for {@code double}, {@code float} (boxed too) and their arrays, whether written
     *       {@code 1e999} or as the strings {@code "NaN"}, {@code "Infinity"}; and writing NaN or an infinity
     *       (Jackson would write the string {@code "NaN"}) is an error too.</li>
     * </ul>
     * Property names are the Java names as they are: no naming strategy is set, so a file that spells them otherwise
     * ({@code snake_case}) needs {@code @JsonProperty} on the component, or a mapper derived for that purpose.
     * Floats are written by Jackson ({@code 0.1f} as {@code 0.1}, not widened as {@link #write} does).
     *
     * <p>Errors are Jackson's ({@link JacksonException}, an {@link IOException}), naming line, column and the path;
     * a caller that reads a file translates them into its own error, as it does {@link JsonException}.
     *
     * <p>The instance is shared: do not reconfigure it ({@code configure}, {@code registerModule},
     * {@code setPropertyNamingStrategy}...), which would change every user. Derive instead: {@code mapper().reader()}
     * and {@code mapper().writer()} with features, or {@code mapper().copy()} then reconfigure the copy.
     */
    public static ObjectMapper mapper() {
        return MapperHolder.MAPPER;
    }

    /** Built on first use: parse and write need only jackson-core, and databind's classes take a while to load. */
    private static final class MapperHolder {
        static final ObjectMapper MAPPER = strictMapper();
    }

    private static ObjectMapper strictMapper() {
        SimpleModule finite = new SimpleModule("nabla-finite-numbers");
        finite.setDeserializerModifier(new FiniteNumbers());
        return JsonMapper.builder(factory(MAX_DEPTH, true).addDecorator((f, g) -> new FiniteNumberGenerator(g)).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .addModule(finite)
                .build();
    }

    /** Wraps the deserializers of double, float (boxed too) and their arrays in a check that the value is finite. */
    private static final class FiniteNumbers extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                      JsonDeserializer<?> deserializer) {
            Class<?> t = description.getBeanClass();
            boolean floating = t == double.class || t == Double.class || t == float.class || t == Float.class;
            return floating ? new FiniteDeserializer(deserializer) : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type,
                                                           BeanDescription description, JsonDeserializer<?> deserializer) {
            Class<?> t = type.getRawClass();
            return t == double[].class || t == float[].class ? new FiniteDeserializer(deserializer) : deserializer;
        }
    }

    private static final class FiniteDeserializer extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        FiniteDeserializer(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new FiniteDeserializer(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
            Object v = super.deserialize(p, context);
            boolean finite = switch (v) {
                case Double d -> Double.isFinite(d);
                case Float f -> Float.isFinite(f);
                case double[] a -> allFinite(a);
                case float[] a -> allFinite(a);
                case null, default -> true;
            };
            if (!finite) {
                throw InvalidFormatException.from(p, "not a finite number: " + describeNonFinite(v), v, v.getClass());
            }
            return v;
        }

        private static boolean allFinite(double[] a) {
            for (double d : a) if (!Double.isFinite(d)) return false;
            return true;
        }

        private static boolean allFinite(float[] a) {
            for (float f : a) if (!Float.isFinite(f)) return false;
            return true;
        }

        private static String describeNonFinite(Object v) {
            if (v instanceof double[] a) return Arrays.toString(a);
            if (v instanceof float[] a) return Arrays.toString(a);
            return String.valueOf(v);
        }
    }

    /** Refuses to write NaN and infinities, which Jackson would otherwise write as strings ({@code "NaN"}). */
    private static final class FiniteNumberGenerator extends JsonGeneratorDelegate {
        FiniteNumberGenerator(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (!Double.isFinite(v)) throw new JsonGenerationException("JSON cannot represent " + v, this);
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (!Float.isFinite(v)) throw new JsonGenerationException("JSON cannot represent " + v, this);
            super.writeNumber(v);
        }

        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                if (!Double.isFinite(array[i])) {
                    throw new JsonGenerationException("JSON cannot represent " + array[i], this);
                }
            }
            super.writeArray(array, offset, length);
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
        if (v instanceof String s) return "the string \"" + abbreviate(s) + "\"";
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof Number n) return n.toString();
        return "a " + v.getClass().getSimpleName();
    }
}
