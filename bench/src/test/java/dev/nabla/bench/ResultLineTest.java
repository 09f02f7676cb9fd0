package dev.nabla.bench;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultLineTest {

    @Test
    void writesOneCompactLineInInsertionOrder() {
        ResultLine line = new ResultLine().put("workload", "gemm").put("threads", 2)
                .put("gflops", Map.of("128x784x256", 12.5)).put("epoch_s", new double[]{1.5, 2})
                .put("ok", true).put("none", null).put("threads", 4);
        assertEquals("{\"workload\":\"gemm\",\"threads\":4,\"gflops\":{\"128x784x256\":12.5},\"epoch_s\":[1.5,2.0],"
                + "\"ok\":true,\"none\":null}", line.toString());
        assertEquals(List.of("workload", "threads", "gflops", "epoch_s", "ok", "none"), List.copyOf(line.fields().keySet()));
    }

    @Test
    void nonFiniteFiguresAreWrittenAsNull() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", Double.POSITIVE_INFINITY);
        nested.put("b", 1.0);
        ResultLine line = new ResultLine().put("loss", Double.NaN).put("f", Float.NEGATIVE_INFINITY)
                .put("epoch_s", new double[]{1, Double.NaN}).put("fs", new float[]{Float.NaN, 2})
                .put("list", List.of(Double.NaN, 3.0)).put("nested", nested);
        assertEquals("{\"loss\":null,\"f\":null,\"epoch_s\":[1.0,null],\"fs\":[null,2.0],\"list\":[null,3.0],"
                + "\"nested\":{\"a\":null,\"b\":1.0}}", line.toString());
    }

    @Test
    void linesReadBackWithNablasReader() {
        String line = new ResultLine().put("s", "x\"y\n").put("i", 3).put("d", 1.0E-5)
                .put("list", List.of(1, 2.5, "z")).toString();
        Map<String, Object> back = Json.asObject(Json.parse(line), "line");
        assertEquals("x\"y\n", back.get("s"));
        assertEquals(3L, back.get("i"));
        assertEquals(1.0E-5, back.get("d"));
        assertEquals(List.of(1L, 2.5, "z"), back.get("list"));
    }
}
