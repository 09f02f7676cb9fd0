package dev.nabla.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareTest {

    @Test
    void compareTableSetsFrameworksSideBySide() {
        String table = Compare.table(List.of(
                "{\"workload\":\"gemm\",\"framework\":\"nabla\",\"kernel\":\"onednn\",\"gflops\":{\"8x8x8\":50.0},\"peak_rss_mb\":100.0}",
                "not json",
                "{\"workload\": \"gemm\", \"framework\": \"pytorch\", \"gflops\": {\"8x8x8\": 100.0}, \"peak_rss_mb\": 200.0}",
                "{\"workload\": \"mlp\", \"framework\": \"pytorch\", \"samples_per_s\": 1000.0, \"test_accuracy\": 0.87}"));
        assertTrue(table.contains("GFLOP/s 8x8x8 [onednn]"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("gemm") && l.contains("GFLOP/s") && l.trim().endsWith("0.50")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("mlp") && l.contains("samples/s") && l.trim().endsWith("-")), table);
    }

    @Test
    void linesThatAreNotStrictJsonAreSkipped() {
        // Python's json.dumps writes NaN bare; a truncated line, trailing garbage and a duplicate key are not JSON
        // either: each is skipped (Nabla's reader throws JsonException), not a crash of the whole table
        String table = Compare.table(List.of(
                "{\"workload\": \"mlp\", \"framework\": \"pytorch\", \"samples_per_s\": NaN}",
                "{\"workload\": \"mlp\", \"framework\": \"nabla\", \"samples_per_s\": 5",
                "{\"workload\": \"mlp\", \"framework\": \"nabla\", \"samples_per_s\": 7} x",
                "{\"workload\": \"mlp\", \"workload\": \"cnn\", \"framework\": \"nabla\", \"samples_per_s\": 9}",
                "{\"workload\": \"mlp\", \"framework\": \"nabla\", \"samples_per_s\": 2000.0}"));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("mlp") && l.contains("samples/s") && l.contains("2000.0")
                && l.trim().endsWith("-")), table);
        assertTrue(table.lines().noneMatch(l -> l.startsWith("cnn")), table);
    }

    @Test
    void djlLinesGetTheirOwnColumnsBesidePyTorch() {
        String table = Compare.table(List.of(
                "{\"workload\":\"mlp\",\"framework\":\"nabla\",\"samples_per_s\":3000.0,\"test_accuracy\":0.88,\"peak_rss_mb\":400.0}",
                "{\"workload\": \"mlp\", \"framework\": \"pytorch\", \"samples_per_s\": 1500.0, \"test_accuracy\": 0.87, \"peak_rss_mb\": 500.0}",
                "{\"workload\": \"mlp\", \"framework\": \"djl\", \"samples_per_s\": 1200.0, \"test_accuracy\": 0.8, \"peak_rss_mb\": 800.0}",
                "{\"workload\": \"gemm\", \"framework\": \"djl\", \"gflops\": {\"8x8x8\": 40.0}}",
                "{\"workload\":\"gemm\",\"framework\":\"nabla\",\"kernel\":\"onednn\",\"gflops\":{\"8x8x8\":50.0}}"));
        List<String> lines = table.lines().toList();
        assertEquals(List.of("workload", "metric", "Nabla", "PyTorch", "Nabla/PyTorch", "DJL", "Nabla/DJL"),
                List.of(lines.get(0).trim().split("\\s+")), table);
        // Nabla / PyTorch = 3000 / 1500 = 2.00 and Nabla / DJL = 3000 / 1200 = 2.50, each beside its peer's value
        assertEquals(List.of("mlp", "samples/s", "3000.0", "1500.0", "2.00", "1200.0", "2.50"), cells(table, "mlp", "samples/s"));
        assertEquals(List.of("mlp", "test", "accuracy", "0.8800", "0.8700", "1.01", "0.8000", "1.10"),
                cells(table, "mlp", "test accuracy"));
        assertEquals(List.of("mlp", "peak", "RSS", "MB", "400", "500", "0.80", "800", "0.50"), cells(table, "mlp", "peak RSS"));
        // a peer without the workload: its value and ratio are "-", the other peer's still there (50 / 40 = 1.25)
        assertEquals(List.of("gemm", "GFLOP/s", "8x8x8", "[onednn]", "50.0", "-", "-", "40.0", "1.25"),
                cells(table, "gemm", "GFLOP/s"));
    }

    @Test
    void djlAloneGivesOnlyItsColumns() {
        String table = Compare.table(List.of(
                "{\"workload\":\"cnn\",\"framework\":\"nabla\",\"samples_per_s\":900.0}",
                "{\"workload\": \"cnn\", \"framework\": \"djl\", \"samples_per_s\": 1800.0}",
                "{\"workload\": \"cnn\", \"framework\": \"tensorflow\", \"samples_per_s\": 1.0}"));
        assertEquals(List.of("workload", "metric", "Nabla", "DJL", "Nabla/DJL"),
                List.of(table.lines().findFirst().orElseThrow().trim().split("\\s+")), table);
        assertEquals(List.of("cnn", "samples/s", "900.0", "1800.0", "0.50"), cells(table, "cnn", "samples/s"));
        assertFalse(table.contains("PyTorch"), table);
    }

    @Test
    void peersGetGflopsAndFractionOfPeakFromNablasFlopCount() {
        String table = Compare.table(List.of(
                "{\"workload\":\"mlp\",\"framework\":\"nabla\",\"threads\":2,\"samples_per_s\":100000.0,"
                        + "\"flops_per_sample\":1000000,\"gflops\":100.0,\"peak_gflops\":200.0,\"peak_gflops_per_core\":100.0,"
                        + "\"peak_source\":\"assumed, not measured: test\",\"fraction_of_peak\":0.5}",
                "{\"workload\": \"mlp\", \"framework\": \"pytorch\", \"threads\": 2, \"samples_per_s\": 40000.0}",
                "{\"workload\": \"mlp\", \"framework\": \"djl\", \"threads\": 1, \"samples_per_s\": 50000.0}",
                "{\"workload\":\"gemm\",\"framework\":\"nabla\",\"threads\":2,\"kernel\":\"onednn\",\"gflops\":{\"8x8x8\":50.0},"
                        + "\"peak_gflops_per_core\":100.0,\"fraction_of_peak\":{\"8x8x8\":0.25}}",
                "{\"workload\": \"gemm\", \"framework\": \"pytorch\", \"threads\": 2, \"gflops\": {\"8x8x8\": 100.0}}"));
        // PyTorch: 40,000 samples/s x 1e6 FLOPs = 40 GFLOP/s, of 2 x 100: 0.2; DJL on 1 thread: 50 of 100, 0.5
        assertEquals(List.of("mlp", "GFLOP/s", "achieved", "100.0", "40.0", "2.50", "50.0", "2.00"),
                cells(table, "mlp", "GFLOP/s"));
        assertEquals(List.of("mlp", "fraction", "of", "peak", "0.500", "0.200", "2.50", "0.500", "1.00"),
                cells(table, "mlp", "fraction of peak"));
        // gemm: PyTorch's 100 GFLOP/s over 2 x 100
        assertEquals(List.of("gemm", "fraction", "of", "peak", "8x8x8", "[onednn]", "0.250", "0.500", "0.50", "-", "-"),
                cells(table, "gemm", "fraction of peak"));
        assertTrue(table.contains("threads x 100.0 GFLOP/s per core (FP32; assumed, not measured: test)"), table);
    }

    /** The cells of the row for {@code workload} whose metric starts with {@code metric}, split at blanks. */
    private static List<String> cells(String table, String workload, String metric) {
        List<String> rows = table.lines().filter(l -> l.startsWith(workload + " ")
                && l.substring(workload.length()).trim().startsWith(metric)).toList();
        assertEquals(1, rows.size(), table);
        return List.of(rows.get(0).trim().split("\\s+"));
    }
}
