package dev.nabla.io;

import dev.nabla.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://huggingface.co/docs/safetensors">safetensors</a> layout: writes float32;
 * {@link #read(byte[])} reads float32 only (Nabla's model files), {@link #readFloats} also float16 and bfloat16
 * (converted exactly to float32) and lists tensors of other dtypes without decoding them (PyTorch state_dicts).
 *
 * <p>Layout: an 8-byte little-endian unsigned length {@code N}; {@code N} bytes of UTF-8 JSON header
 * {@code {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}}
 * padded with spaces so the data starts on an 8-byte boundary; then the raw little-endian tensor data, offsets
 * relative to its start. Files written here are read by the reference {@code safetensors} library and PyTorch, and
 * this reader accepts F32 files written by them.
 *
 * <p>Reading trusts nothing in the buffer: the header length, UTF-8, JSON, every field, dtype, shape, and that the
 * tensors tile the data section exactly (contiguous, no overlap, no gap, no trailing bytes, as the reference reader
 * requires) are all checked before any tensor memory is allocated, and any violation is a
 * {@link ModelFormatException} whose message starts with {@code "safetensors: "}.
 */
public final class SafeTensors {

    /**
     * Largest header accepted, in bytes. The format allows 100 MB, but real headers are kilobytes (about 100 bytes per
     * tensor); 16 MiB still holds ~150,000 tensors while keeping what a hostile header can make the JSON parser
     * allocate to a few hundred megabytes.
     */
    public static final long MAX_HEADER_BYTES = 16L << 20;

    /** The reserved header key for string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    // a byte[] cannot be longer than this on common JVMs
    private static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;

    // root object -> tensor entry -> shape / data_offsets array: nothing deeper is valid
    private static final int HEADER_DEPTH = 3;

    private SafeTensors() {
    }

    /**
     * What {@link #read} found: the tensors in header order, and the {@code __metadata__} strings (empty when absent).
     * Both maps are unmodifiable and keep insertion order.
     */
    public record Result(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {
        /** A result whose tensors are all F32. */
        public Result(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this(tensors, metadata, allF32(tensors));
        }

        private static Map<String, String> allF32(Map<String, Tensor> tensors) {
            LinkedHashMap<String, String> d = new LinkedHashMap<>();
            for (String name : tensors.keySet()) d.put(name, "F32");
            return Collections.unmodifiableMap(d);
        }
    }

    /** Bytes per element of every dtype the format defines; those outside {@link #DECODED} are sized but not decoded. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E4M3", 1),
            Map.entry("F8_E5M2", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

    /** The dtypes {@link #readFloats} decodes (to float32, exactly). */
    public static final java.util.Set<String> DECODED = java.util.Set.of("F32", "F16", "BF16");

    // ---------------------------------------------------------------- writing

    /**
     * Encodes {@code tensors} (in the map's iteration order, data stored contiguously in that order) and
     * {@code metadata} (may be null or empty: then no {@code __metadata__} entry is written) as a safetensors file.
     *
     * @throws IllegalArgumentException for the reserved name {@code __metadata__}, null names, tensors or metadata
     *                                  strings, or a total size beyond what one Java array holds (2 GiB)
     */
    public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
        LinkedHashMap<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("safetensors: metadata keys and values must not be null");
                }
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta); // first, like the reference writer, so tools can find it quickly
        }
        List<float[]> values = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) throw new IllegalArgumentException("safetensors: tensor name must not be null");
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: '" + METADATA_KEY + "' is reserved, not a tensor name");
            }
            if (t == null) throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            float[] v = t.toArray();
            long bytes = 4L * v.length;
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", t.shape());
            info.put("data_offsets", new long[]{offset, offset + bytes});
            header.put(name, info);
            values.add(v);
            offset += bytes;
            if (offset > MAX_BUFFER_BYTES) {
                throw new IllegalArgumentException("safetensors: tensors total more than 2 GiB, too large for one buffer");
            }
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // pad with spaces (valid JSON whitespace) so the data, after the 8-byte length, starts 8-byte aligned
        int padded = (json.length + 7) & ~7;
        long total = 8L + padded + offset;
        if (total > MAX_BUFFER_BYTES) {
            throw new IllegalArgumentException("safetensors: file would be " + total + " bytes, more than one buffer holds");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) buf.put((byte) ' ');
        for (float[] v : values) {
            buf.asFloatBuffer().put(v); // the view starts at the current position and shares the byte order
            buf.position(buf.position() + 4 * v.length);
        }
        return buf.array();
    }

    // ---------------------------------------------------------------- reading

    /**
     * The most bytes a safetensors buffer holding exactly these F32 tensors (name to shape) can take: their data, and
     * a header with room for any usual formatting of their entries and up to 64 KiB of {@code __metadata__}. A reader
     * that knows the shapes it expects refuses a larger buffer before inflating or reading it.
     */
    public static long maxBytes(Map<String, int[]> shapes) {
        long header = 8 + 7 + (64 << 10);
        long data = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            long n = 1;
            for (int d : e.getValue()) n *= d;
            data += 4 * n;
            // the name, every character escaped at worst; the entry's fields, each number up to 20 digits, with
            // spacing doubled for pretty-printing writers
            header += 6L * e.getKey().length() + 2 + 2 * (64 + 21L * (e.getValue().length + 2));
        }
        return header + data;
    }

    /**
     * Decodes a safetensors buffer read from {@code where} (e.g. {@code "m.nabla: weights.safetensors"}), which
     * starts every error message instead of {@code "safetensors"}.
     */
    public static Result read(byte[] bytes, String where) throws ModelFormatException {
        return renamed(where, false, bytes);
    }

    /**
     * Decodes a safetensors buffer written by any tool (e.g. a PyTorch {@code state_dict} saved with
     * {@code safetensors.torch.save_file}), as {@link #read(byte[], String)} does, but also F16 and BF16 tensors,
     * converted exactly to float32. Tensors of other dtypes (an {@code I64} {@code num_batches_tracked}) pass every
     * check but are not decoded: they appear in {@link Result#dtypes()} and not in {@link Result#tensors()}.
     */
    public static Result readFloats(byte[] bytes, String where) throws ModelFormatException {
        return renamed(where, true, bytes);
    }

    private static Result renamed(String where, boolean anyDtype, byte[] bytes) throws ModelFormatException {
        try {
            return read(bytes, anyDtype);
        } catch (ModelFormatException e) {
            String m = e.getMessage();
            String prefix = "safetensors: ";
            throw new ModelFormatException(where + ": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m), e);
        }
    }

    /** Decodes a safetensors buffer of F32 tensors; see the class comment for what is checked. */
    public static Result read(byte[] bytes) throws ModelFormatException {
        return read(bytes, false);
    }

    private static Result read(byte[] bytes, boolean anyDtype) throws ModelFormatException {
        if (bytes.length < 8) {
            throw fail("the data (" + bytes.length + " bytes) is too short to hold the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // n is an unsigned 64-bit value: negative here means >= 2^63, certainly too large
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail("header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES
                    + " bytes");
        }
        if (n > bytes.length - 8L) {
            throw fail("header length " + n + " runs past the end of the data (" + bytes.length
                    + " bytes); the file is truncated or not safetensors");
        }
        int headerLen = (int) n;
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, headerLen));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8", e);
        }
        if (text.isEmpty() || text.charAt(0) != '{') throw fail("header does not start with '{'");
        Map<String, Object> root;
        try {
            root = Json.asObject(Json.parse(text, HEADER_DEPTH), "header");
        } catch (JsonException e) {
            throw fail("header is not valid: " + e.getMessage(), e);
        }

        long dataStart = 8L + headerLen;
        long dataLen = bytes.length - dataStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>(root.size());
        for (Map.Entry<String, Object> e : root.entrySet()) {
            try {
                if (e.getKey().equals(METADATA_KEY)) {
                    metadata = metadata(e.getValue());
                } else {
                    entries.add(entry(e.getKey(), e.getValue(), dataLen, anyDtype));
                }
            } catch (JsonException ex) {
                throw fail(ex.getMessage(), ex);
            }
        }

        // the tensors must tile [0, dataLen) exactly: this rules out overlap (two tensors sharing bytes), gaps, and
        // trailing bytes, matching the reference reader
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry en : byOffset) {
            if (en.begin < expected) {
                throw fail("tensor '" + en.name + "' data_offsets [" + en.begin + ", " + en.end
                        + "] overlap the previous tensor's data, which ends at " + expected);
            }
            if (en.begin > expected) {
                throw fail("tensor '" + en.name + "' data_offsets [" + en.begin + ", " + en.end
                        + "] leave a gap: the previous tensor's data ends at " + expected);
            }
            expected = en.end;
        }
        if (expected != dataLen) {
            throw fail("the data section has " + dataLen + " bytes but the tensors cover " + expected
                    + " (truncated or padded file?)");
        }

        // only now, with every size checked against the real data length, allocate
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        LinkedHashMap<String, String> dtypes = new LinkedHashMap<>();
        for (Entry en : entries) {
            dtypes.put(en.name, en.dtype);
            if (!DECODED.contains(en.dtype)) continue;
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + en.begin), (int) (en.end - en.begin))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            // wrap (no copy): the array is ours; it also handles rank 0, which Tensor.of would read as 1-D
            tensors.put(en.name, Tensor.wrap(decode(en.dtype, data), en.shape));
        }
        return new Result(Collections.unmodifiableMap(tensors), metadata, Collections.unmodifiableMap(dtypes));
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    /** Float32 values of little-endian F32, F16 or BF16 data; both half formats widen to float32 without rounding. */
    private static float[] decode(String dtype, ByteBuffer data) {
        switch (dtype) {
            case "F32" -> {
                float[] v = new float[data.remaining() / 4];
                data.asFloatBuffer().get(v);
                return v;
            }
            case "F16" -> {
                float[] v = new float[data.remaining() / 2];
                for (int i = 0; i < v.length; i++) v[i] = Float.float16ToFloat(data.getShort(2 * i));
                return v;
            }
            case "BF16" -> {
                // bfloat16 is the top half of a float32's bits
                float[] v = new float[data.remaining() / 2];
                for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
                return v;
            }
            default -> throw new IllegalArgumentException(dtype);
        }
    }

    private static Map<String, String> metadata(Object value) {
        Map<String, Object> m = Json.asObject(value, METADATA_KEY);
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), Json.asString(e.getValue(), METADATA_KEY + " '" + e.getKey() + "'"));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(String name, Object value, long dataLen, boolean anyDtype) {
        String what = "tensor '" + name + "'";
        Map<String, Object> info = Json.asObject(value, what);
        for (String key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new JsonException(what + " has unknown field '" + key + "'");
            }
        }
        String dtype = Json.asString(require(info, "dtype", what), what + " dtype");
        if (!anyDtype && !dtype.equals("F32")) {
            throw new JsonException(what + " has dtype " + dtype + "; Nabla reads only F32 tensors");
        }
        Integer size = DTYPE_BYTES.get(dtype);
        if (size == null) {
            throw new JsonException(what + " has dtype " + dtype + ", which safetensors does not define (known: "
                    + new java.util.TreeSet<>(DTYPE_BYTES.keySet()) + ")");
        }
        List<Object> dims = Json.asArray(require(info, "shape", what), what + " shape");
        int[] shape = new int[dims.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) Json.asLong(dims.get(i), what + " shape[" + i + "]", 0, Integer.MAX_VALUE);
            elements *= shape[i];
            // elements <= 2^31 before the multiply and shape[i] < 2^31, so this cannot overflow a long
            if (elements > Integer.MAX_VALUE) {
                throw new JsonException(what + " shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        List<Object> offsets = Json.asArray(require(info, "data_offsets", what), what + " data_offsets");
        if (offsets.size() != 2) {
            throw new JsonException(what + " data_offsets must be [begin, end], got " + offsets.size() + " numbers");
        }
        long begin = Json.asLong(offsets.get(0), what + " data_offsets[0]", 0, Long.MAX_VALUE);
        long end = Json.asLong(offsets.get(1), what + " data_offsets[1]", 0, Long.MAX_VALUE);
        if (begin > end || end > dataLen) {
            throw new JsonException(what + " data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataLen + "-byte data section");
        }
        if (end - begin != size * elements) {
            throw new JsonException(what + " shape " + Arrays.toString(shape) + " needs " + (size * elements)
                    + " bytes of " + dtype + " data but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Object require(Map<String, Object> info, String key, String what) {
        if (!info.containsKey(key)) throw new JsonException(what + " has no '" + key + "'");
        return info.get(key);
    }

    private static ModelFormatException fail(String message) {
        return new ModelFormatException("safetensors: " + message);
    }

    private static ModelFormatException fail(String message, Throwable cause) {
        return new ModelFormatException("safetensors: " + message, cause);
    }
}
