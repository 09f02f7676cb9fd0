package dev.nabla.io;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    private static Object roundTrip(Object v) {
        Object compact = Json.parse(Json.write(v));
        Object pretty = Json.parse(Json.write(v, true));
        assertEquals(compact, pretty, "pretty and compact must read back the same");
        return compact;
    }

    @Test
    void parsesEveryValueKindIntoPlainJavaTypes() {
        Object v = Json.parse(" {\"s\": \"x\", \"i\": -12, \"d\": 1.5e2, \"t\": true, \"f\": false, \"n\": null,"
                + " \"a\": [1, [2], {}], \"o\": {\"k\": []}} ");
        Map<String, Object> m = Json.asObject(v, "root");
        assertInstanceOf(LinkedHashMap.class, m);
        assertEquals(List.of("s", "i", "d", "t", "f", "n", "a", "o"), new ArrayList<>(m.keySet()), "key order kept");
        assertEquals("x", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(150.0, m.get("d"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertInstanceOf(ArrayList.class, m.get("a"));
        assertEquals(List.of(1L, List.of(2L), Map.of()), m.get("a"));
        assertEquals(Map.of("k", List.of()), m.get("o"));
    }

    @Test
    void integersAreLongsAndEverythingElseIsDouble() {
        assertEquals(3L, Json.parse("3"));
        assertEquals(3.0, Json.parse("3.0"));
        assertEquals(300.0, Json.parse("3e2"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"), "beyond long: nearest double");
        assertEquals(1e-320, Json.parse("1e-320"), "subnormals are fine");
    }

    @Test
    void bigLongsRoundTripExactly() {
        for (long v : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, -1, 0, 1234567890123456789L}) {
            assertEquals(v, roundTrip(v));
        }
        assertEquals(7L, roundTrip(7), "an Integer reads back as a Long");
        assertEquals(new BigInteger("123456789012345678901234567890").doubleValue(),
                roundTrip(new BigInteger("123456789012345678901234567890")));
        assertEquals(1000.0, roundTrip(new BigDecimal("1E+3")));
    }

    @Test
    void doublesRoundTripBitExactly() {
        SplittableRandom rng = new SplittableRandom(1);
        List<Double> values = new ArrayList<>(List.of(0.1, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MIN_NORMAL, 1e21, 1e-7, 123456.789, 2.0 / 3, Math.PI));
        for (int i = 0; i < 2000; i++) values.add(Double.longBitsToDouble(rng.nextLong()));
        for (int i = 0; i < 2000; i++) values.add(rng.nextDouble() * 1000 - 500);
        values.removeIf(d -> !Double.isFinite(d));
        for (double d : values) {
            Object back = roundTrip(d);
            assertInstanceOf(Double.class, back);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back), "value " + d);
        }
    }

    @Test
    void floatsAreWrittenAsTheirExactDoubleValue() {
        assertEquals("0.10000000149011612", Json.write(0.1f));
        assertEquals((double) 0.1f, roundTrip(0.1f));
        assertEquals(0.1f, (float) (double) (Double) roundTrip(0.1f));
        SplittableRandom rng = new SplittableRandom(2);
        float[] fs = new float[3000];
        for (int i = 0; i < fs.length; i++) {
            float f;
            do f = Float.intBitsToFloat(rng.nextInt()); while (!Float.isFinite(f));
            fs[i] = f;
        }
        List<Object> back = Json.asArray(roundTrip(fs), "floats");
        for (int i = 0; i < fs.length; i++) {
            assertEquals(Float.floatToRawIntBits(fs[i]), Float.floatToRawIntBits((float) Json.asDouble(back.get(i), "f")));
        }
    }

    @Test
    void primitiveArraysAreWritten() {
        assertEquals("[1,2,3]", Json.write(new int[]{1, 2, 3}));
        assertEquals("[1,-9223372036854775808]", Json.write(new long[]{1, Long.MIN_VALUE}));
        assertEquals("[0.5,-2.0]", Json.write(new double[]{0.5, -2}));
        assertEquals("[1.5,0.25]", Json.write(new float[]{1.5f, 0.25f}));
        assertEquals("[]", Json.write(new float[0]));
        assertEquals("[\"a\",null,1]", Json.write(new Object[]{"a", null, 1}));
    }

    @Test
    void stringsWithEscapesAndUnicodeRoundTrip() {
        String nasty = "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f"
                + " é ü 中文 emoji😀 \u2028\u2029 \uFEFF";
        assertEquals(nasty, roundTrip(nasty));
        assertEquals(Map.of(nasty, nasty), roundTrip(Map.of(nasty, nasty)));
        String written = Json.write(nasty);
        assertTrue(written.contains("\\\"") && written.contains("\\\\") && written.contains("\\n")
                && written.contains("\\u0000") && written.contains("\\u001F"), written);
        for (char c : written.toCharArray()) assertTrue(c >= 0x20, "no raw control characters in output");
        assertEquals("😀é\u00e9/", Json.parse("\"\\ud83d\\uDE00\\u00e9\u00e9\\/\""));
        assertEquals("", Json.parse("\"\""));
    }

    @Test
    void nestedStructuresRoundTrip() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("shape", List.of(3L, 2L));
        inner.put("empty", Map.of());
        inner.put("none", null);
        List<Object> deep = new ArrayList<>();
        List<Object> cur = deep;
        for (int i = 0; i < 100; i++) {
            List<Object> next = new ArrayList<>();
            cur.add(next);
            cur.add((long) i);
            cur = next;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("inner", inner);
        root.put("list", List.of(inner, "x", List.of()));
        root.put("deep", deep);
        root.put("flag", true);
        assertEquals(root, roundTrip(root));
    }

    @Test
    void prettyOutputIsIndentedWithScalarArraysOnOneLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "w");
        m.put("shape", new int[]{3, 2});
        m.put("nested", Map.of("k", List.of(1, 2)));
        m.put("objs", List.of(Map.of("a", 1)));
        m.put("e", List.of());
        assertEquals("""
                {
                  "name": "w",
                  "shape": [3, 2],
                  "nested": {
                    "k": [1, 2]
                  },
                  "objs": [
                    {
                      "a": 1
                    }
                  ],
                  "e": []
                }""", Json.write(m, true));
        assertEquals("{\"name\":\"w\",\"shape\":[3,2],\"nested\":{\"k\":[1,2]},\"objs\":[{\"a\":1}],\"e\":[]}",
                Json.write(m));
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        JsonException nan = assertThrows(JsonException.class, () -> Json.write(Map.of("lr", List.of(1.0, Double.NaN))));
        assertTrue(nan.getMessage().contains("NaN") && nan.getMessage().contains("$.lr[1]"), nan.getMessage());
        assertThrows(JsonException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(JsonException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
        assertThrows(JsonException.class, () -> Json.write(new float[]{1, Float.NaN}));
        assertThrows(JsonException.class, () -> Json.write(Map.of(1, "x")), "non-String key");
        assertThrows(JsonException.class, () -> Json.write(new Object()));
        assertThrows(JsonException.class, () -> Json.write(new java.util.concurrent.atomic.AtomicLong(1)));
        assertThrows(JsonException.class, () -> Json.write("bad \uD800 surrogate"));
        assertThrows(JsonException.class, () -> Json.write("bad \uDC00"));
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        JsonException cyc = assertThrows(JsonException.class, () -> Json.write(cyclic));
        assertTrue(cyc.getMessage().contains("nesting"), cyc.getMessage());
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() {
        String[] bad = {
                "", "   ", "{", "[", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{a:1}", "{'a':1}",
                "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12G4\"", "\"raw\ttab\"", "\"raw\nnl\"",
                "01", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1e999",
                "tru", "nul", "True", "[1 2]", "{\"a\":1 \"b\":2}", "1 2", "{} x", "// c\n1", "/* c */ 1",
                "\uFEFF1", "\u00a01", "{\"a\":1,\"a\":2}", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
                "\"\\ud800x\"", "[\"\uD800\"]", "\"\\u０１２３\"",
        };
        for (String text : bad) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(text), "should reject: " + text);
            assertTrue(e.position() >= 0 && e.position() <= text.length(), text + " -> " + e.position());
            assertTrue(e.getMessage().contains("offset " + e.position()), e.getMessage());
        }
    }

    @Test
    void errorsNameLineAndColumn() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": ]\n}"));
        assertEquals("JSON: unexpected character ']', expected a value at line 3, column 8 (offset 19)", e.getMessage());
        assertEquals(19, e.position());
        JsonException dup = assertThrows(JsonException.class, () -> Json.parse("{\"k\":1, \"k\":2}"));
        assertTrue(dup.getMessage().contains("duplicate key \"k\""), dup.getMessage());
        assertEquals(8, dup.position());
        JsonException end = assertThrows(JsonException.class, () -> Json.parse("[1, 2"));
        assertTrue(end.getMessage().contains("end of input"), end.getMessage());
    }

    @Test
    void nestingIsBounded() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertNotNull(Json.parse(ok));
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(JsonException.class, () -> Json.parse(tooDeep));
        String hostile = "[".repeat(1_000_000); // must not overflow the stack
        assertThrows(JsonException.class, () -> Json.parse(hostile));
        assertEquals(List.of(List.of()), Json.parse("[[]]", 2));
        assertThrows(JsonException.class, () -> Json.parse("[[[]]]", 2));
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":{}}", 1));
        assertEquals(5L, Json.parse("5", 0));
    }

    @Test
    void typedAccessorsExplainMismatches() {
        Map<String, Object> m = Json.asObject(Json.parse("{\"n\": 2, \"x\": 2.5, \"s\": \"v\", \"b\": true, \"a\": [1]}"), "cfg");
        assertEquals(2L, Json.asLong(m.get("n"), "n"));
        assertEquals(2.5, Json.asDouble(m.get("x"), "x"));
        assertEquals(2.0, Json.asDouble(m.get("n"), "n"));
        assertEquals("v", Json.asString(m.get("s"), "s"));
        assertTrue(Json.asBoolean(m.get("b"), "b"));
        assertEquals(List.of(1L), Json.asArray(m.get("a"), "a"));
        JsonException e = assertThrows(JsonException.class, () -> Json.asLong(m.get("x"), "cfg.x"));
        assertEquals("cfg.x: expected an integer, got 2.5", e.getMessage());
        assertEquals(-1, e.position());
        assertThrows(JsonException.class, () -> Json.asString(null, "s"));
        assertThrows(JsonException.class, () -> Json.asObject(List.of(), "o"));
        assertThrows(JsonException.class, () -> Json.asArray("x", "a"));
        assertThrows(JsonException.class, () -> Json.asBoolean(1L, "b"));
        assertThrows(JsonException.class, () -> Json.asLong(5L, "n", 0, 4));
        assertEquals(4L, Json.asLong(4L, "n", 0, 4));
    }

    @Test
    void largeInputsRoundTrip() {
        float[] big = new float[50_000];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.37f;
        List<Object> back = Json.asArray(Json.parse(Json.write(big)), "big");
        assertEquals(big.length, back.size());
        for (int i = 0; i < big.length; i += 997) assertEquals(big[i], (float) Json.asDouble(back.get(i), "v"));
    }
}
