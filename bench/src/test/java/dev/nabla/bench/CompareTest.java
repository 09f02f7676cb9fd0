package dev.nabla.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
