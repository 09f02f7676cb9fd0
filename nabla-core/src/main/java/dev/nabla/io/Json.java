package dev.nabla.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        return JsonReader.parse(text, maxDepth);
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
        return JsonWriter.write(value, pretty);
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
        return JsonStrictMapper.MAPPER;
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

    /** {@code text}, cut to 40 characters for an error message. */
    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
