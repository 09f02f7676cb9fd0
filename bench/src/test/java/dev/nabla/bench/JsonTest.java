package dev.nabla.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void writesOneLineInPythonStyle() {
        Json.Obj o = Json.object().put("workload", "gemm").put("threads", 2)
                .put("gflops", Json.object().put("128x784x256", 12.5)).put("epoch_s", new double[]{1.5, 2})
                .put("nan", Double.NaN).put("ok", true).put("none", null);
        assertEquals("{\"workload\": \"gemm\", \"threads\": 2, \"gflops\": {\"128x784x256\": 12.5}, "
                + "\"epoch_s\": [1.5, 2.0], \"nan\": null, \"ok\": true, \"none\": null}", o.toString());
    }

    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.write("a\"b\\c\nd\u0001"));
    }

    @Test
    void roundTrips() {
        String line = Json.object().put("s", "x\"y\n").put("i", 3).put("d", 1.0E-5)
                .put("list", List.of(1, 2.5, "z")).toString();
        Map<?, ?> back = (Map<?, ?>) Json.parse(line);
        assertEquals("x\"y\n", back.get("s"));
        assertEquals(3L, back.get("i"));
        assertEquals(1.0E-5, back.get("d"));
        assertEquals(List.of(1L, 2.5, "z"), back.get("list"));
    }

    @Test
    void parsesPythonOutput() {
        Map<?, ?> r = (Map<?, ?>) Json.parse("{\"workload\": \"mlp\", \"epoch_s\": [3.1, 2.9], \"x\": null, "
                + "\"nested\": {\"a\": -1e3}, \"t\": false}");
        assertEquals(List.of(3.1, 2.9), r.get("epoch_s"));
        assertNull(r.get("x"));
        assertEquals(-1000.0, ((Map<?, ?>) r.get("nested")).get("a"));
        assertEquals(false, r.get("t"));
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
    }

    @Test
    void compareTableSetsFrameworksSideBySide() {
        String table = Compare.table(List.of(
                "{\"workload\": \"gemm\", \"framework\": \"nabla\", \"kernel\": \"onednn\", \"gflops\": {\"8x8x8\": 50.0}, \"peak_rss_mb\": 100.0}",
                "not json",
                "{\"workload\": \"gemm\", \"framework\": \"pytorch\", \"gflops\": {\"8x8x8\": 100.0}, \"peak_rss_mb\": 200.0}",
                "{\"workload\": \"mlp\", \"framework\": \"pytorch\", \"samples_per_s\": 1000.0, \"test_accuracy\": 0.87}"));
        assertTrue(table.contains("GFLOP/s 8x8x8 [onednn]"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("gemm") && l.contains("GFLOP/s") && l.trim().endsWith("0.50")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("mlp") && l.contains("samples/s") && l.trim().endsWith("-")), table);
    }
}
