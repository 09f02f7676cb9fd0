package dev.nabla.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
        // short escapes where JSON has them, \\u00XX (upper-case hex) for the other control characters, '/', DEL,
        // U+2028 and non-ASCII as they are
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\\u001F\\b\\f\\r\\t/\u007f\u2028é\"", Json.write("a\"b\\c\nd\u0001\u001f\b\f\r\t/\u007f\u2028é"));
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

    @Test
    void prettyLayoutOfNestedArraysAndEmptyContainers() {
        // the layout of the hand-written writer this class replaced, byte for byte: model.json and the archive
        // manifest are written pretty, and a file saved before and after the change must be the same
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matrix", List.of(List.of(1, 2), List.of(), new int[]{3}));
        m.put("mixed", Arrays.asList(1, Map.of(), "x", null));
        m.put("floats", new float[]{0.5f, -1f});
        m.put("empty", new LinkedHashMap<>());
        m.put("deep", Map.of("a", Map.of("b", List.of(Map.of("c", new long[]{})))));
        assertEquals("""
                {
                  "matrix": [
                    [1, 2],
                    [],
                    [3]
                  ],
                  "mixed": [
                    1,
                    {},
                    "x",
                    null
                  ],
                  "floats": [0.5, -1.0],
                  "empty": {},
                  "deep": {
                    "a": {
                      "b": [
                        {
                          "c": []
                        }
                      ]
                    }
                  }
                }""", Json.write(m, true));
        assertEquals("{\"matrix\":[[1,2],[],[3]],\"mixed\":[1,{},\"x\",null],\"floats\":[0.5,-1.0],\"empty\":{},"
                + "\"deep\":{\"a\":{\"b\":[{\"c\":[]}]}}}", Json.write(m));
        assertEquals("[]", Json.write(List.of(), true));
        assertEquals("{}", Json.write(Map.of(), true));
        assertEquals("\"s\"", Json.write("s", true));
        assertEquals("[\n  []\n]", Json.write(List.of(List.of()), true));
        assertEquals("-0.0", Json.write(-0.0));
        assertEquals("1.0E-5", Json.write(1e-5));
        assertEquals("1.0E21", Json.write(1e21));
        assertEquals("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")));
        assertEquals("[1,2]", Json.write(new Object[]{(short) 1, (byte) 2}));
    }

    @Test
    void writerErrorsNameThePath() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", List.of(1, 2));
        m.put("layers", List.of(Map.of("w", new float[]{1, 2, Float.POSITIVE_INFINITY})));
        JsonException inf = assertThrows(JsonException.class, () -> Json.write(m, true));
        assertEquals("JSON: JSON cannot represent Infinity (at $.layers[0].w[2])", inf.getMessage());
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put("a", 1);
        badKey.put(2, "x");
        JsonException key = assertThrows(JsonException.class, () -> Json.write(Map.of("outer", badKey)));
        assertEquals("JSON: object key 2 is not a String (at $.outer)", key.getMessage());
        JsonException type = assertThrows(JsonException.class, () -> Json.write(List.of(1, new StringBuilder("x"))));
        assertEquals("JSON: cannot write a java.lang.StringBuilder as JSON (at $[1])", type.getMessage());
        JsonException sur = assertThrows(JsonException.class, () -> Json.write(Map.of("k\uD800", 1)));
        assertTrue(sur.getMessage().contains("unpaired surrogate"), sur.getMessage());
        List<Object> deep = new ArrayList<>();
        List<Object> cur = deep;
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            List<Object> next = new ArrayList<>();
            cur.add(next);
            cur = next;
        }
        assertEquals(Json.MAX_DEPTH * 2, Json.write(deep).length(), "exactly MAX_DEPTH levels can be written");
        cur.add(List.of());
        assertThrows(JsonException.class, () -> Json.write(deep), "one more level cannot");
    }

    @Test
    void duplicateKeysAreRejectedWhereTheySit() {
        JsonException nested = assertThrows(JsonException.class,
                () -> Json.parse("{\"a\": {\"x\": 1,\n \"y\": 2, \"x\": [3]}}"));
        assertEquals("JSON: duplicate key \"x\" at line 2, column 10 (offset 24)", nested.getMessage());
        assertEquals(24, nested.position());
        // the same key in sibling or nested objects is not a duplicate
        assertEquals(List.of(Map.of("a", 1L), Map.of("a", 2L)), Json.parse("[{\"a\":1},{\"a\":2}]"));
        assertEquals(Map.of("a", Map.of("a", Map.of())), Json.parse("{\"a\":{\"a\":{}}}"));
        // keys that differ only by escaping are the same key; a null value still counts as present
        assertThrows(JsonException.class, () -> Json.parse("{\"ab\":1,\"a\\u0062\":2}"));
        assertThrows(JsonException.class, () -> Json.parse("{\"k\":null,\"k\":null}"));
        // far into a large object
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) big.append("\"k").append(i).append("\":").append(i).append(',');
        assertEquals(1000, Json.asObject(Json.parse(big.substring(0, big.length() - 1) + "}"), "big").size());
        JsonException late = assertThrows(JsonException.class, () -> Json.parse(big + "\"k500\":0}"));
        assertTrue(late.getMessage().contains("duplicate key \"k500\""), late.getMessage());
        assertEquals(big.length(), late.position());
    }

    @Test
    void depthLimitCountsArraysAndObjectsAndNamesThePlace() {
        String objects = "{\"a\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH);
        assertNotNull(Json.parse(objects));
        String mixed = "[{\"a\":".repeat(Json.MAX_DEPTH / 2) + "null" + "}]".repeat(Json.MAX_DEPTH / 2);
        assertNotNull(Json.parse(mixed));
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[" + mixed + "]"));
        assertEquals("JSON: nesting deeper than 512 levels at line 1, column 1533 (offset 1532)", e.getMessage());
        JsonException two = assertThrows(JsonException.class, () -> Json.parse("{\"a\": [1, {\"b\": 2}]}", 2));
        assertEquals("JSON: nesting deeper than 2 levels at line 1, column 11 (offset 10)", two.getMessage());
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse("{\"a\": [1, 2]}", 2));
        assertThrows(JsonException.class, () -> Json.parse("[]", 0));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1", -1));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1", Json.MAX_DEPTH + 1));
        assertThrows(NullPointerException.class, () -> Json.parse(null));
    }

    @Test
    void nothingButWhitespaceMayFollowTheValue() {
        assertEquals(List.of(1L), Json.parse(" \t\r\n[1] \t\r\n"));
        String[][] cases = {
                {"1 2", "2"}, {"{} x", "3"}, {"[1]]", "3"}, {"\"a\"\"b\"", "3"}, {"{}{}", "2"}, {"[] \u0000", "3"},
                {"{\"a\":1} // c", "8"}, {"true false", "5"}, {"null\n\n  null", "8"}, {"[] \uFEFF", "3"},
        };
        for (String[] c : cases) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains("after the JSON value"), e.getMessage());
            assertEquals(Integer.parseInt(c[1]), e.position(), c[0]);
        }
        // glued to a scalar, it is a malformed value rather than a second one; still refused
        for (String text : new String[]{"1x", "truex", "nullnull", "0x10", "1.5.5", "\"a\"x"}) {
            assertThrows(JsonException.class, () -> Json.parse(text), text);
        }
    }

    @Test
    void bigNumbers() {
        assertEquals(-9.223372036854775809E18, Json.parse("-9223372036854775809"), "below long: nearest double");
        assertEquals(1e300, Json.parse("1" + "0".repeat(300)), "a 301-digit integer is a double");
        assertEquals(List.of(Long.MAX_VALUE, 1.8446744073709552E19), Json.parse("[9223372036854775807, 18446744073709551616]"));
        assertEquals(Double.MAX_VALUE, Json.parse("1.7976931348623157e308"));
        assertEquals(0.0, Json.parse("1e-400"), "underflow to zero, as Double.parseDouble");
        assertEquals(-0.0, Json.parse("-1e-400"));
        assertEquals(1e22, Json.parse("1E+22"));
        for (String big : new String[]{"1e309", "-1e309", "1" + "0".repeat(400), "-" + "9".repeat(309), "[0, 2e308]"}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(big), big);
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
        // a number of up to MAX_NUMBER_LENGTH characters is read, a longer one refused
        String longest = "0." + "1".repeat(Json.MAX_NUMBER_LENGTH - 2);
        assertEquals(0.1111111111111111, Json.parse(longest));
        JsonException tooLong = assertThrows(JsonException.class, () -> Json.parse(longest + "1"));
        assertTrue(tooLong.getMessage().contains("exceeds the maximum allowed (" + Json.MAX_NUMBER_LENGTH + ")"),
                tooLong.getMessage());
    }

    @Test
    void longStringsAndKeysAreBounded() {
        String ok = "x".repeat(100_000);
        assertEquals(ok, Json.parse("\"" + ok + "\""));
        String longKey = "k".repeat(Json.MAX_KEY_LENGTH + 1);
        JsonException key = assertThrows(JsonException.class, () -> Json.parse("{\"" + longKey + "\":1}"));
        assertTrue(key.getMessage().contains("exceeds the maximum allowed (" + Json.MAX_KEY_LENGTH + ")"), key.getMessage());
        assertEquals(1, Json.asObject(Json.parse("{\"" + longKey.substring(1) + "\":1}"), "o").size());
    }

    @Test
    void parsesPythonJsonDumpsOutput() {
        // what torch_bench.py prints (json.dumps: ", " and ": " separators)
        Map<String, Object> r = Json.asObject(Json.parse("{\"workload\": \"mlp\", \"epoch_s\": [3.1, 2.9], "
                + "\"x\": null, \"nested\": {\"a\": -1e3}, \"t\": false}"), "r");
        assertEquals(List.of(3.1, 2.9), r.get("epoch_s"));
        assertNull(r.get("x"));
        assertEquals(-1000.0, Json.asObject(r.get("nested"), "nested").get("a"));
        assertEquals(false, r.get("t"));
        assertThrows(JsonException.class, () -> Json.parse("{\"workload\": \"mlp\", \"loss\": NaN}"));
        assertThrows(JsonException.class, () -> Json.parse("{\"a\": }"));
    }

    /** Random text and damaged documents: a value or a JsonException, never another exception, hang or crash. */
    @Test
    void fuzzedInputOnlyEverThrowsJsonException() {
        SplittableRandom rng = new SplittableRandom(20240611);
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("name", "w \"q\" \\ é 😀 \u0001");
        sample.put("shape", new int[]{3, 2});
        sample.put("data", new double[]{0.5, -1e-7, 1e300, -0.0});
        Map<String, Object> nested = new LinkedHashMap<>(); // not Map.of: its order changes from run to run
        nested.put("list", List.of(1, List.of(true, false), Map.of()));
        nested.put("n", Long.MIN_VALUE);
        sample.put("nested", nested);
        sample.put("none", null);
        String[] seeds = {Json.write(sample), Json.write(sample, true), "[]", "{}", "\"\\u00e9\\ud83d\\ude00\"", "-0.5e-3"};
        String alphabet = "{}[]:,\"\\/ \t\n\r0123456789.eE+-truefalsnul\u0000\u001f\u007f\uD800\uDC00\uFEFFé中'";
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 10_000; i++) {
            String text;
            if (i % 4 == 0) {
                // random characters, unpaired surrogates included
                char[] cs = new char[rng.nextInt(24)];
                for (int j = 0; j < cs.length; j++) {
                    cs[j] = rng.nextInt(3) == 0 ? (char) rng.nextInt(0x10000) : alphabet.charAt(rng.nextInt(alphabet.length()));
                }
                text = new String(cs);
            } else {
                StringBuilder b = new StringBuilder(seeds[rng.nextInt(seeds.length)]);
                for (int m = 1 + rng.nextInt(4); m > 0 && b.length() > 0; m--) {
                    int at = rng.nextInt(b.length());
                    switch (rng.nextInt(5)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                        case 2 -> b.setCharAt(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                        case 3 -> b.setLength(at); // truncated
                        default -> b.insert(rng.nextInt(b.length()), b.substring(at, Math.min(b.length(), at + 1 + rng.nextInt(12))));
                    }
                }
                text = b.toString();
            }
            Object value;
            try {
                value = Json.parse(text);
            } catch (JsonException e) {
                rejected++;
                assertTrue(e.position() >= 0 && e.position() <= text.length(), e.position() + " for " + text);
                assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().endsWith("(offset " + e.position() + ")"),
                        e.getMessage());
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("not a JsonException for " + Arrays.toString(text.chars().toArray()), e);
            }
            parsed++;
            // whatever is accepted writes back and reads back the same
            assertEquals(value, Json.parse(Json.write(value)), text);
            assertEquals(value, Json.parse(Json.write(value, true)), text);
        }
        assertTrue(parsed > 200 && rejected > 2000, "the fuzzer should produce both: " + parsed + " / " + rejected);
    }

    // ---------------------------------------------------------------- the shared mapper

    public record LayerConfig(int units, double rate, String activation, boolean bias, float[] scale, Double momentum) {
    }

    private static final String LAYER =
            "{\"units\": 3, \"rate\": 1, \"activation\": \"relu\", \"bias\": true, \"scale\": [0.5, 2], \"momentum\": null}";

    private static LayerConfig readLayer(String text) throws JacksonException {
        return Json.mapper().readValue(text, LayerConfig.class);
    }

    @Test
    void mapperReadsAndWritesRecords() throws Exception {
        assertSame(Json.mapper(), Json.mapper(), "one shared instance");
        LayerConfig c = readLayer(LAYER);
        assertEquals(3, c.units());
        assertEquals(1.0, c.rate(), "an integer for a double is fine");
        assertEquals("relu", c.activation());
        assertTrue(c.bias());
        assertArrayEquals(new float[]{0.5f, 2f}, c.scale());
        assertNull(c.momentum());
        String written = Json.mapper().writeValueAsString(new LayerConfig(4, 0.1, "tanh", false, new float[]{0.1f}, 0.9));
        assertEquals("{\"units\":4,\"rate\":0.1,\"activation\":\"tanh\",\"bias\":false,\"scale\":[0.1],\"momentum\":0.9}",
                written, "Java names as they are (no snake_case), floats as Jackson writes them");
        assertEquals(Map.of("units", 4L, "rate", 0.1, "activation", "tanh", "bias", false, "scale", List.of(0.1), "momentum", 0.9),
                Json.parse(written), "Json.parse reads what the mapper writes (0.1f as 0.1)");
    }

    @Test
    void mapperIsAsStrictAsTheReader() {
        String[] bad = {
                LAYER.replace("}", ", \"extra\": 1}"),                        // unknown property
                LAYER.replace("\"units\": 3", "\"units\": 3, \"units\": 4"),    // duplicate key
                LAYER + " {}", LAYER + " x",                                   // trailing content
                "// c\n" + LAYER, LAYER.replace("\"relu\"", "'relu'"), LAYER.replace("true", "True"),
                LAYER.replace("}", ",}"), LAYER.replace("3", "03"),
                LAYER.replace("\"units\": 3, ", ""),                            // missing primitive
                LAYER.replace("\"units\": 3", "\"units\": null"),
                LAYER.replace("\"units\": 3", "\"units\": 3.5"),                // no coercions
                LAYER.replace("\"units\": 3", "\"units\": \"3\""),
                LAYER.replace("\"relu\"", "7"), LAYER.replace("true", "1"), LAYER.replace("true", "\"true\""),
                LAYER.replace("\"rate\": 1", "\"rate\": 1e999"),                 // non-finite numbers
                LAYER.replace("\"rate\": 1", "\"rate\": NaN"),
                LAYER.replace("\"rate\": 1", "\"rate\": \"NaN\""),
                LAYER.replace("\"momentum\": null", "\"momentum\": \"-Infinity\""),
                LAYER.replace("[0.5, 2]", "[0.5, 1e39]"),
                LAYER.replace("[0.5, 2]", "[\"Infinity\"]"),
        };
        for (String text : bad) assertThrows(JacksonException.class, () -> readLayer(text), text);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(JacksonException.class, () -> Json.mapper().readTree(deep));
        assertNotNull(assertDoesNotThrow(() -> Json.mapper().readTree("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))));
    }

    @Test
    void mapperRefusesToWriteNonFiniteNumbers() {
        ObjectMapper m = Json.mapper();
        assertThrows(JacksonException.class, () -> m.writeValueAsString(new LayerConfig(1, Double.NaN, "a", true, null, null)));
        assertThrows(JacksonException.class, () -> m.writeValueAsString(new LayerConfig(1, 1, "a", true, new float[]{Float.NaN}, null)));
        assertThrows(JacksonException.class, () -> m.writeValueAsString(new LayerConfig(1, 1, "a", true, null, Double.NEGATIVE_INFINITY)));
        assertThrows(JacksonException.class, () -> m.writeValueAsString(new double[]{1, Double.POSITIVE_INFINITY}));
        assertThrows(JacksonException.class, () -> m.writeValueAsString(Map.of("x", List.of(Float.NaN))));
        assertDoesNotThrow(() -> m.writeValueAsString(new double[]{1, -0.0, Double.MAX_VALUE}));
    }
}
