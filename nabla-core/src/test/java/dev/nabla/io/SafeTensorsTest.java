package dev.nabla.io;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {

    /**
     * Written by the reference implementation (Python {@code safetensors} 0.8.0, {@code safetensors.numpy.save}) from
     * {@code layer.weight = [[1,2,3],[4,5,6]]}, {@code layer.bias = [0.1, -2.5, 1e-30]}, {@code scale = 3.5} (0-d),
     * metadata {@code {"framework": "numpy", "note": "é"}}.
     */
    private static final String REFERENCE_FILE = "8AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmcmFtZXdvcmsiOiJudW1weSIsIm5vdGUiOi"
            + "LDqSJ9LCJsYXllci5iaWFzIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlszXSwiZGF0YV9vZmZzZXRzIjpbMCwxMl19LCJsYXllci53ZW"
            + "lnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsM10sImRhdGFfb2Zmc2V0cyI6WzEyLDM2XX0sInNjYWxlIjp7ImR0eXBlIjoiRj"
            + "MyIiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOlszNiw0MF19fSDNzMw9AAAgwGBCog0AAIA/AAAAQAAAQEAAAIBAAACgQAAAwEAAAGBA";

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("dense.weight", Tensor.randn(new SplittableRandom(5), 3, 4));
        t.put("dense.bias", Tensor.of(new float[]{0.1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE}));
        t.put("scalar", Tensor.scalar(-7.25f));
        t.put("empty", Tensor.zeros(0, 3));
        t.put("odd", Tensor.of(new float[]{1, 2, 3}, 3, 1, 1)); // 12 bytes: the next tensor starts unaligned to 8
        t.put("naming/with \"quotes\" é", Tensor.ones(2));
        return t;
    }

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws Exception {
        Map<String, Tensor> tensors = sample();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("nabla", "x\ny \"z\"");
        SafeTensors.Result r = SafeTensors.read(SafeTensors.write(tensors, meta));
        assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(r.tensors().keySet()));
        for (String name : tensors.keySet()) {
            Tensor a = tensors.get(name);
            Tensor b = r.tensors().get(name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(a.toArray(), b.toArray(), name); // bit-exact, -0 included via floatToIntBits
        }
        assertEquals(0, r.tensors().get("scalar").rank());
        assertEquals(meta, r.metadata());
        assertThrows(UnsupportedOperationException.class, () -> r.tensors().clear());
    }

    @Test
    void nonContiguousViewsAreWrittenInLogicalOrder() throws Exception {
        Tensor t = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
        assertFalse(t.isContiguous());
        Tensor back = SafeTensors.read(SafeTensors.write(Map.of("t", t), null)).tensors().get("t");
        assertArrayEquals(new int[]{3, 2}, back.shape());
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, back.toArray());
    }

    @Test
    void noMetadataMeansNoMetadataEntry() throws Exception {
        byte[] b = SafeTensors.write(Map.of("a", Tensor.ones(1)), Map.of());
        assertFalse(header(b).contains("__metadata__"));
        assertEquals(Map.of(), SafeTensors.read(b).metadata());
        assertEquals(Map.of(), SafeTensors.read(SafeTensors.write(Map.of(), null)).tensors());
    }

    @Test
    void layoutMatchesTheSpecificationByteForByte() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.of(new float[]{1, 2, 3}, 3, 1));
        t.put("b", Tensor.scalar(-2));
        byte[] b = SafeTensors.write(t, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]}}";
        int n = (json.length() + 7) / 8 * 8;
        assertEquals(8 + n + 16, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(n, bb.getLong(0), "8-byte little-endian header length");
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        assertEquals(json, new String(b, 8, json.length(), StandardCharsets.UTF_8));
        for (int i = 8 + json.length(); i < 8 + n; i++) assertEquals(' ', b[i], "padding is spaces");
        // raw little-endian float32 data, contiguous, in order
        int d = 8 + n;
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3f}, java.util.Arrays.copyOfRange(b, d, d + 4), "1.0f LE");
        float[] expected = {1, 2, 3, -2};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], bb.getFloat(d + 4 * i));
    }

    @Test
    void independentMinimalParserReadsOurOutput() {
        // a reader that shares no code with SafeTensors.read: regex over the header, offsets applied by hand
        Map<String, Tensor> tensors = sample();
        byte[] b = SafeTensors.write(tensors, Map.of("m", "1"));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8).stripTrailing();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"((?:[^\"\\\\]|\\\\.)*)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}")
                .matcher(header);
        int found = 0;
        long previousEnd = 0;
        while (m.find()) {
            String name = (String) Json.parse("\"" + m.group(1) + "\"");
            Tensor expected = tensors.get(name);
            assertNotNull(expected, name);
            int begin = Integer.parseInt(m.group(3));
            int end = Integer.parseInt(m.group(4));
            assertEquals(previousEnd, begin, "contiguous, in insertion order");
            previousEnd = end;
            String shape = java.util.Arrays.toString(expected.shape()).replace(" ", "");
            assertEquals(shape, "[" + m.group(2) + "]");
            float[] values = expected.toArray();
            assertEquals(4 * values.length, end - begin);
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(values[i]), bb.getInt((int) (8 + n + begin + 4L * i)));
            }
            found++;
        }
        assertEquals(tensors.size(), found);
        assertEquals(b.length - 8 - n, previousEnd, "no trailing bytes");
    }

    @Test
    void readsAFileWrittenByTheReferenceImplementation() throws Exception {
        SafeTensors.Result r = SafeTensors.read(Base64.getDecoder().decode(REFERENCE_FILE));
        assertEquals(List.of("layer.bias", "layer.weight", "scale"), new ArrayList<>(r.tensors().keySet()));
        assertArrayEquals(new float[]{0.1f, -2.5f, 1e-30f}, r.tensors().get("layer.bias").toArray());
        assertArrayEquals(new int[]{2, 3}, r.tensors().get("layer.weight").shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, r.tensors().get("layer.weight").toArray());
        assertEquals(0, r.tensors().get("scale").rank());
        assertEquals(3.5f, r.tensors().get("scale").item());
        assertEquals(Map.of("framework", "numpy", "note", "é"), r.metadata());
    }

    // ---------------------------------------------------------------- hostile input

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h);
        return bb.array();
    }

    private static String rejected(byte[] bytes) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(bytes));
        assertTrue(e.getMessage().startsWith("safetensors: "), e.getMessage());
        return e.getMessage();
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void rejectsBadHeaderLengths() {
        assertTrue(rejected(new byte[0]).contains("too short"));
        assertTrue(rejected(new byte[7]).contains("too short"));
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L); // 2^64-1 as unsigned
        assertTrue(rejected(huge).contains("18446744073709551615"), "unsigned length reported");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
        assertTrue(rejected(huge).contains("exceeds the limit"));
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertTrue(rejected(huge).contains("exceeds the limit"));
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(9);
        assertTrue(rejected(huge).contains("runs past the end"));
        assertTrue(rejected(file("", 0)).contains("'{'"));
    }

    @Test
    void truncatedFilesAreRejectedAtEveryLength() {
        byte[] good = SafeTensors.write(sample(), Map.of("a", "b"));
        for (int len = 0; len < good.length; len++) {
            rejected(java.util.Arrays.copyOf(good, len));
        }
        byte[] extra = java.util.Arrays.copyOf(good, good.length + 4);
        assertTrue(rejected(extra).contains("tensors cover"), "trailing bytes");
    }

    @Test
    void everySingleByteCorruptionOfTheHeaderIsEitherRejectedOrHarmless() {
        // flipping header bytes may still give a valid file (a letter in a name); it must never throw anything else
        byte[] good = SafeTensors.write(sample(), Map.of("a", "b"));
        long n = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = 0; i < 8 + n; i++) {
            for (int mask : new int[]{0x01, 0x20, 0x80}) { // digit/letter change, case/structure, UTF-8 breakage
                byte[] b = good.clone();
                b[i] ^= (byte) mask;
                try {
                    SafeTensors.read(b);
                } catch (ModelFormatException expected) {
                    // fine
                }
            }
        }
    }

    @Test
    void rejectsInvalidHeaders() {
        assertTrue(rejected(file("{\"a\":", 0)).contains("not valid"));
        assertTrue(rejected(file("[1]", 0)).contains("'{'"));
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[10] = (byte) 0xff;
        assertTrue(rejected(badUtf8).contains("UTF-8"));
        assertTrue(rejected(file("{" + t("a", "F16", "[2]", 0, 4) + "}", 4)).contains("dtype F16"));
        assertTrue(rejected(file("{" + t("a", "F32", "[2]", 0, 4) + "}", 4)).contains("needs 8 bytes"));
        assertTrue(rejected(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 4)).contains("outside"));
        assertTrue(rejected(file("{" + t("a", "F32", "[1]", 4, 0) + "}", 4)).contains("outside"));
        assertTrue(rejected(file("{" + t("a", "F32", "[-1]", 0, 0) + "}", 0)).contains("shape[0]"));
        assertTrue(rejected(file("{" + t("a", "F32", "[1.0]", 0, 4) + "}", 4)).contains("integer"));
        assertTrue(rejected(file("{" + t("a", "F32", "[65536,65536]", 0, 4) + "}", 4)).contains("2^31-1"));
        assertTrue(rejected(file("{" + t("a", "F32", "[4294967297]", 0, 4) + "}", 4)).contains("shape[0]"));
        assertTrue(rejected(file("{" + t("a", "F32", "[1]", -4, 0) + "}", 4)).contains("data_offsets[0]"));
        assertTrue(rejected(file("{" + t("a", "F32", "[1]", 0, 99999999999999L) + "}", 4)).contains("outside"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)).contains("data_offsets"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4)).contains("[begin, end]"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4)).contains("unknown field"));
        assertTrue(rejected(file("{\"a\":[]}", 0)).contains("expected an object"));
        assertTrue(rejected(file("{\"__metadata__\":{\"k\":1}}", 0)).contains("expected a string"));
        assertTrue(rejected(file("{\"__metadata__\":[]}", 0)).contains("__metadata__"));
        assertTrue(rejected(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 0, 4) + "}", 4)).contains("duplicate"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[[[1]]],\"data_offsets\":[0,4]}}", 4)).contains("nesting"));
    }

    @Test
    void rejectsOverlapsAndGaps() {
        String overlap = "{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}";
        assertTrue(rejected(file(overlap, 12)).contains("overlap"));
        String same = "{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 0, 8) + "}";
        assertTrue(rejected(file(same, 8)).contains("overlap"));
        String gap = "{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}";
        assertTrue(rejected(file(gap, 12)).contains("gap"));
        String reversed = "{" + t("b", "F32", "[1]", 4, 8) + "," + t("a", "F32", "[1]", 0, 4) + "}";
        assertDoesNotThrow(() -> SafeTensors.read(file(reversed, 8)), "order of the header need not be data order");
    }

    @Test
    void hostileHeadersFailFastWithoutHugeAllocations() {
        // a header of the maximum size full of nested or numerous containers: rejected by depth, not after building them
        int size = (int) SafeTensors.MAX_HEADER_BYTES;
        StringBuilder sb = new StringBuilder(size).append("{\"a\":{\"dtype\":\"F32\",\"shape\":[");
        while (sb.length() < size - 10) sb.append("{},");
        sb.append("{}]}}");
        assertTrue(rejected(file(sb.toString(), 0)).contains("nesting"));
        // shape claims 2^31-1 elements but the file holds 4 bytes: rejected before allocating the floats
        String big = "{" + t("a", "F32", "[2147483647]", 0, 4) + "}";
        assertTrue(rejected(file(big, 4)).contains("needs"));
    }

    @Test
    void writeRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(Map.of("__metadata__", Tensor.ones(1)), null));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(nullTensor, null));
        Map<String, String> nullMeta = new LinkedHashMap<>();
        nullMeta.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(Map.of(), nullMeta));
    }

    private static String header(byte[] b) {
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(b, 8, (int) n, StandardCharsets.UTF_8);
    }
}
