package dev.nabla.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link InferBody}'s scanner against Jackson: the same numbers, bit for bit (and {@code Double.parseDouble}'s for decimals), where it scans; Jackson's reading where
 * it does not; and, on thousands of mutated bodies, the same answer as Jackson alone (the same tree and values, or the
 * same error).
 */
class InferBodyTest {

    private static String body(String data) {
        return "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": " + data + "}]}";
    }

    private static InferBody read(String body) {
        return InferBody.read(body.getBytes(StandardCharsets.UTF_8), Router::parse);
    }

    @Test
    void scansPlainDecimalsExactlyAsDoubleParseDoubleReadsThem() {
        SplittableRandom rng = new SplittableRandom(3);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "1", "-1", "0.5", "12.25", "0.1", "0.3254902", "999999999999999",
                "0.000000000000001", "-123456.789012345", "0.14901961"));
        for (int i = 0; i < 3000; i++) {
            int digits = 1 + rng.nextInt(15);
            int scale = rng.nextInt(digits + 1);
            StringBuilder s = new StringBuilder(rng.nextBoolean() ? "-" : "");
            String all = Long.toString(rng.nextLong(1, (long) Math.pow(10, digits)));
            while (all.length() < digits) all = "0" + all;
            String whole = all.substring(0, digits - scale).replaceFirst("^0+(?=.)", "");
            s.append(whole.isEmpty() ? "0" : whole);
            if (scale > 0) s.append('.').append(all.substring(digits - scale));
            texts.add(s.toString());
        }
        texts.add(Float.toString(0.37254903f));
        String data = "[" + String.join(", ", texts) + "]";
        InferBody b = read(body(data));
        assertNotNull(b.numbers(), "scanned");
        assertEquals(0, b.tree().path("inputs").path(0).path("data").size(), "the tree's array is emptied");
        JsonNode jackson = Router.parse(body(data).getBytes(StandardCharsets.UTF_8)).path("inputs").path(0).path("data");
        assertEquals(texts.size(), b.numbers().length);
        for (int i = 0; i < texts.size(); i++) {
            // Jackson reads "-0" as the integer 0; a decimal as Double.parseDouble does
            double expected = texts.get(i).contains(".") ? Double.parseDouble(texts.get(i)) : jackson.get(i).doubleValue();
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(b.numbers()[i]), texts.get(i));
            assertEquals(Double.doubleToRawLongBits(jackson.get(i).doubleValue()), Double.doubleToRawLongBits(b.numbers()[i]), texts.get(i));
        }
    }

    @Test
    void leavesEverythingElseToJackson() {
        for (String data : new String[]{"[1e3, 2, 3]", "[1.0000000000000001, 2, 3]", "[[1, 2, 3]]", "[\"1\", 2, 3]",
                "[1, 2, null]", "[1,\t2,\n3]x"}) {
            String text = body(data);
            if (data.endsWith("x")) {
                assertThrows(HttpError.class, () -> read(text), data);
                continue;
            }
            InferBody b = read(text);
            assertNull(b.numbers(), data);
            assertEquals(Router.parse(text.getBytes(StandardCharsets.UTF_8)), b.tree(), data);
        }
        // BYTES keep the numbers' own text
        assertNull(read(body("[1, 2, 3]").replace("FP32", "BYTES")).numbers());
        // whitespace, an empty array and keys in any order scan
        assertArrayEquals(new double[]{1, 2, 3}, read(body("[ 1 ,\n2,\t3 ]")).numbers());
        assertArrayEquals(new double[0], read(body("[]")).numbers());
        assertArrayEquals(new double[]{4, 5}, read("{\"id\": \"a\\\"{[\", \"inputs\": [{\"data\": [4, 5], \"datatype\": \"FP32\"}]}").numbers());
    }

    @Test
    void malformedBodiesGetJacksonsMessageAboutTheClientsText() {
        for (String data : new String[]{"[01, 2, 3]", "[1., 2, 3]", "[.5, 2, 3]", "[1, 2, 3,]", "[1 2 3]", "[-, 2, 3]"}) {
            String text = body(data);
            HttpError fast = assertThrows(HttpError.class, () -> read(text), data);
            HttpError jackson = assertThrows(HttpError.class, () -> Router.parse(text.getBytes(StandardCharsets.UTF_8)), data);
            assertEquals(jackson.getMessage(), fast.getMessage(), data);
        }
        // an error after the array: the column is the one in what the client sent, not in the shortened copy
        String text = body("[1, 2, 3]").replace("}]}", "}]");
        assertEquals(assertThrows(HttpError.class, () -> Router.parse(text.getBytes(StandardCharsets.UTF_8))).getMessage(),
                assertThrows(HttpError.class, () -> read(text)).getMessage());
        // a duplicated key is still refused
        assertThrows(HttpError.class, () -> read(body("[1, 2, 3]").replace("\"shape\"", "\"data\": [9], \"shape\"")));
    }

    @Test
    void mutatedBodiesReadAsJacksonReadsThem() {
        SplittableRandom rng = new SplittableRandom(11);
        String base = "{\"id\": \"r\\\\1\", \"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [2, 3], "
                + "\"data\": [0.5, -1, 12.25, 0, 3.1415926, 7]}], \"parameters\": {\"a\": [1, {\"b\": \"]\"}]}}";
        byte[] alphabet = "0123456789-.,[]{}\":e \\aFP".getBytes(StandardCharsets.US_ASCII);
        int scanned = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] b = base.getBytes(StandardCharsets.US_ASCII);
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = rng.nextInt(b.length);
                byte c = alphabet[rng.nextInt(alphabet.length)];
                switch (rng.nextInt(3)) {
                    case 0 -> b[at] = c;
                    case 1 -> b = splice(b, at, 0, c);
                    default -> b = splice(b, at, 1, null);
                }
            }
            byte[] mutated = b;
            JsonNode expected;
            try {
                expected = Router.parse(mutated);
            } catch (HttpError jackson) {
                HttpError fast = assertThrows(HttpError.class, () -> InferBody.read(mutated, Router::parse), new String(mutated, StandardCharsets.US_ASCII));
                assertEquals(jackson.getMessage(), fast.getMessage());
                continue;
            }
            InferBody got = InferBody.read(mutated, Router::parse);
            String where = new String(mutated, StandardCharsets.US_ASCII);
            if (got.numbers() == null) {
                assertEquals(expected, got.tree(), where);
                continue;
            }
            scanned++;
            JsonNode data = expected.path("inputs").path(0).path("data");
            double[] values = new double[data.size()];
            for (int k = 0; k < values.length; k++) values[k] = data.get(k).doubleValue();
            assertArrayEquals(values, got.numbers(), where);
            ObjectNode withoutData = expected.deepCopy();
            ((ObjectNode) withoutData.path("inputs").path(0)).set("data", withoutData.arrayNode());
            assertEquals(withoutData, got.tree(), where);
        }
        assertEquals(true, scanned > 1000, String.format(Locale.ROOT, "only %d mutated bodies were scanned", scanned));
    }

    @Test
    void numbersOfEveryLengthAtEveryDistanceFromTheEndScanAsDoubleParseDoubleReadsThem() {
        SplittableRandom rng = new SplittableRandom(5);
        int scannedBodies = 0;
        for (int round = 0; round < 4000; round++) {
            List<String> texts = new ArrayList<>();
            int count = 1 + rng.nextInt(6);
            for (int i = 0; i < count; i++) {
                String t;
                switch (rng.nextInt(3)) {
                    case 0 -> t = Float.toString((float) rng.nextDouble()); // what FP32 clients send
                    case 1 -> t = Float.toString(rng.nextInt(256) / 255f);
                    default -> {
                        // 1 to 20 digits around a point anywhere: runs across the 8-byte words, some too long to scan
                        int digits = 1 + rng.nextInt(20);
                        StringBuilder d = new StringBuilder();
                        for (int j = 0; j < digits; j++) d.append((char) ('0' + rng.nextInt(10)));
                        int point = rng.nextInt(digits + 1);
                        String whole = d.substring(0, point).replaceFirst("^0+(?=.)", "");
                        t = (whole.isEmpty() ? "0" : whole) + (point < digits ? "." + d.substring(point) : "");
                    }
                }
                texts.add(rng.nextInt(4) == 0 ? "-" + t : t);
            }
            // after the array, 0 to 9 bytes: the last numbers are read from the body's last 8 bytes one byte at a time
            String tail = "]}]}" + " ".repeat(rng.nextInt(6));
            String text = "{\"inputs\": [{\"datatype\": \"FP32\", \"data\": [" + String.join(rng.nextBoolean() ? "," : ", ", texts) + tail;
            InferBody b = read(text);
            JsonNode jackson = Router.parse(text.getBytes(StandardCharsets.UTF_8)).path("inputs").path(0).path("data");
            boolean scannable = true;
            for (String t : texts) {
                if (t.contains("E")) { // an exponent (Float.toString below 10^-3): Jackson's
                    scannable = false;
                    continue;
                }
                String digits = t.replace("-", "").replace(".", "");
                int scale = t.contains(".") ? t.length() - t.indexOf('.') - 1 : 0;
                long significant = digits.length() <= 18 ? Long.parseLong(digits) : Long.MAX_VALUE;
                scannable &= digits.length() <= 18 && significant < 1_000_000_000_000_000L && scale <= 22;
            }
            assertEquals(scannable, b.numbers() != null, text);
            if (!scannable) continue;
            scannedBodies++;
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                double expected = t.contains(".") ? Double.parseDouble(t) : jackson.get(i).doubleValue();
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(b.numbers()[i]), t + " in " + text);
            }
        }
        assertEquals(true, scannedBodies > 2000, scannedBodies + " bodies scanned");
    }

    @Test
    void theBracketAndTheCommasBeforeItAreFoundInAnyBytes() {
        SplittableRandom rng = new SplittableRandom(9);
        byte[] alphabet = {',', ']', '1', ' ', '[', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 0, (byte) 0x80, 0x7F, 0x5C};
        for (int round = 0; round < 20000; round++) {
            byte[] b = new byte[rng.nextInt(40)];
            for (int i = 0; i < b.length; i++) b[i] = alphabet[rng.nextInt(rng.nextBoolean() ? 4 : alphabet.length)];
            int from = b.length == 0 ? 0 : rng.nextInt(b.length);
            int close = from;
            long commas = 0;
            for (; close < b.length && b[close] != ']'; close++) if (b[close] == ',') commas++;
            assertEquals(commas << 32 | close, DecimalScan.bracketAndCommas(b, from), java.util.Arrays.toString(b) + " from " + from);
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, Byte insert) {
        int add = insert == null ? 0 : 1;
        byte[] out = new byte[b.length - remove + add];
        System.arraycopy(b, 0, out, 0, at);
        if (insert != null) out[at] = insert;
        System.arraycopy(b, at + remove, out, at + add, b.length - at - remove);
        return out;
    }

}
