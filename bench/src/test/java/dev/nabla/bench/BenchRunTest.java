package dev.nabla.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/run's arguments for the peers, through {@code --dry-run} (which stops after parsing: no JDK search, no build,
 * no DJL download), so these run in CI without PyTorch or DJL.
 */
class BenchRunTest {

    private record Run(int status, String out, String err) {
    }

    /** Runs bench/run with the given environment additions (a null value unsets the variable). */
    private static Run benchRun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path script = Path.of("run").toAbsolutePath();
        if (!Files.isRegularFile(script)) script = Path.of("bench", "run").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().remove("GOMP_SPINCOUNT");
        pb.environment().remove("MALLOC_ARENA_MAX");
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        Path out = Files.createTempFile("bench-run", ".out");
        Path err = Files.createTempFile("bench-run", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bench/run did not finish");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void djlBesideTorchRunsWhatItHasWithTheSharedStart() throws Exception {
        Run r = benchRun(Map.of(), "--dry-run", "--threads", "2", "--torch", "--djl", "mlp", "resnet", "gemm", "serve", "vit",
                "loader");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("mlp: nabla pytorch djl; start shared", lines.get(0), r.out());
        assertEquals("resnet: nabla pytorch djl; start shared", lines.get(1), r.out());
        assertEquals("gemm: nabla pytorch djl; start own", lines.get(2), r.out());
        assertEquals("serve: nabla; start own", lines.get(3), r.out());
        assertEquals("vit: nabla pytorch djl; start shared", lines.get(4), r.out());
        assertTrue(lines.get(5).startsWith("loader: ") && lines.get(5).contains("(djl: not implemented)"), r.out());
        String djlEnv = lines.stream().filter(l -> l.startsWith("djl env: ")).findFirst().orElseThrow();
        // DJL: one malloc arena, the two thresholds, its threads, and OpenMP's default wait policy (Nabla's is unset)
        for (String setting : List.of("-u OMP_WAIT_POLICY", "-u GOMP_SPINCOUNT", "MALLOC_ARENA_MAX=1",
                "MALLOC_MMAP_THRESHOLD_=33554432", "MALLOC_TRIM_THRESHOLD_=4294967296", "OMP_NUM_THREADS=2")) {
            assertTrue(djlEnv.contains(setting), djlEnv);
        }
        assertFalse(djlEnv.contains("OMP_WAIT_POLICY="), djlEnv);
        assertFalse(djlEnv.contains("GOMP_SPINCOUNT="), djlEnv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("pytorch env: ") && l.contains("OMP_WAIT_POLICY=PASSIVE")), r.out());
    }

    @Test
    void djlAloneStillSharesTheStartUnlessOwnStart() throws Exception {
        Run shared = benchRun(Map.of(), "--dry-run", "--djl", "cnn", "mlp-infer");
        assertEquals(List.of("cnn: nabla djl; start shared", "mlp-infer: nabla djl; start own"),
                shared.out().lines().limit(2).toList(), shared.out());
        assertTrue(shared.out().lines().noneMatch(l -> l.startsWith("pytorch env")), shared.out());
        Run own = benchRun(Map.of(), "--dry-run", "--djl", "--own-start", "cnn");
        assertEquals("cnn: nabla djl; start own", own.out().lines().findFirst().orElseThrow(), own.out());
    }

    @Test
    void settingsTheCallerGaveReachDjl() throws Exception {
        Run r = benchRun(Map.of("OMP_WAIT_POLICY", "PASSIVE", "MALLOC_ARENA_MAX", "4"), "--dry-run", "--djl", "mlp");
        String djlEnv = r.out().lines().filter(l -> l.startsWith("djl env: ")).findFirst().orElseThrow();
        assertTrue(djlEnv.contains("OMP_WAIT_POLICY=PASSIVE"), djlEnv);
        assertTrue(djlEnv.contains("MALLOC_ARENA_MAX=4"), djlEnv);
    }

    @Test
    void aBadArgumentStopsBeforeAnythingRuns() throws Exception {
        Run r = benchRun(Map.of(), "--djl", "--no-such-option", "mlp");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("bench: unknown option --no-such-option"), r.err());
        Run w = benchRun(Map.of(), "--djl", "--dry-run", "nosuch");
        assertEquals(2, w.status(), w.err());
        assertTrue(w.err().contains("unknown workload 'nosuch'"), w.err());
        assertTrue(w.out().isEmpty(), w.out());
    }
}
