package dev.nabla.cli;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla train --workers N}: worker processes started by the command, rank 0 saving and reporting. */
class WorkersTest {

    @TempDir
    Path dir;

    @Test
    void twoWorkersOfBatch8LearnTheModelOfOneOfBatch16() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 300, 4, true);
        Path one = dir.resolve("one.nabla");
        Path two = dir.resolve("two.nabla");
        List<Object> common = List.of("train", "--data", csv, "--label", "species", "--optimizer", "sgd", "--lr", "0.05",
                "--epochs", "3", "--seed", "5", "--json");
        CliTestSupport.Run single = nabla(with(common, "--batch-size", "16", "--out", one));
        Map<String, Object> alone = single.json();
        CliTestSupport.Run workers = nabla(with(common, "--batch-size", "8", "--workers", "2", "--threads", "2", "--out", two));
        Map<String, Object> together = workers.json();
        assertTrue(workers.err().contains("Workers: 2 processes, 16 samples per step (8 each); gradient all-reduce "), workers.err());
        assertEquals(1, workers.err().lines().filter(l -> l.startsWith("Epoch 3/3")).count(), "rank 0 alone shows progress:\n" + workers.err());
        assertEquals(alone.get("train_samples"), together.get("train_samples"));
        // the model rank 0 saved and one run record per command (rank 0's), nothing else: no file of the other
        // worker, no checkpoint
        assertEquals(List.of("metrics.jsonl", "metrics.jsonl", "one.nabla", "points.csv", "settings.json", "settings.json", "two.nabla"),
                CliTestSupport.files(dir).stream().map(p -> p.getFileName().toString()).sorted().toList());
        List<Tensor> a = Model.load(one).network().parameters();
        List<Tensor> b = Model.load(two).network().parameters();
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i).toArray();
            float[] y = b.get(i).toArray();
            for (int k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - y[k]));
        }
        // 57 steps of float rounding apart (see DataParallelFitTest), nothing more
        assertTrue(worst < 1e-5, "largest weight difference " + worst);
        assertEquals(Model.load(one).history().last().get("loss"), Model.load(two).history().last().get("loss"), 1e-5);
    }

    @Test
    void aWorkersErrorIsTheRunsErrorOnce() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 30, 4, true);
        CliTestSupport.Run r = nabla("train", "--data", csv, "--label", "nosuch", "--workers", "2", "--out", dir.resolve("m.nabla"));
        r.assertUsageError("nosuch");
    }

    @Test
    void workersMustBeAtLeastOne() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 30, 4, true);
        nabla("train", "--data", csv, "--workers", "0").assertUsageError("--workers", "from 1 to 64", "0");
    }

    @Test
    void theWorkersEndWhenTheLauncherIsKilled() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 3000, 4, true);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process launcher = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--data", csv.toString(), "--label", "species", "--batch-size", "4", "--epochs", "2000", "--workers", "2",
                "--threads", "2", "--out", dir.resolve("m.nabla").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        List<ProcessHandle> workers = List.of();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (workers.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                workers = launcher.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).toList();
            }
            assertEquals(2, workers.size(), "two workers started");
            Thread.sleep(1000);
            launcher.destroyForcibly();   // SIGKILL: no shutdown hook of the launcher runs
            for (ProcessHandle w : workers) {
                long until = System.nanoTime() + 20_000_000_000L;
                while (w.isAlive() && System.nanoTime() < until) Thread.sleep(50);
                assertFalse(w.isAlive(), "worker " + w.pid() + " ended with the launcher");
            }
        } finally {
            launcher.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aSignalToTheLauncherStopsTheWorkersAndRank0SavesTheModelSoFar() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 3000, 4, true);
        Path out = dir.resolve("stopped.nabla");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process launcher = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--data", csv.toString(), "--label", "species", "--batch-size", "4", "--epochs", "2000", "--workers", "2",
                "--threads", "2", "--out", out.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new java.util.ArrayList<>();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(launcher.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                // SIGTERM (what the launcher's own shutdown forwards on Ctrl-C too) once an epoch is done
                if (line.startsWith("Epoch 2/")) launcher.toHandle().destroy();
            }
            assertTrue(launcher.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            launcher.destroyForcibly();
        }
        String all = String.join("\n", lines);
        assertEquals(143, launcher.exitValue(), all);
        assertTrue(lines.stream().anyMatch(l -> l.matches("interrupted after batch \\d+ of \\d+ of epoch \\d+: saved the model so far .* to "
                + java.util.regex.Pattern.quote(out.toString()) + ".*")), all);
        assertTrue(Model.load(out).epochsDone() >= 2, all);
        assertFalse(all.contains("error:"), all);
    }

    @Test
    void theWorkersGetTheArgumentsLessTheLaunchersOwn() {
        assertEquals(List.of("--data", "x.csv", "--epochs", "2", "--", "--threads"),
                WorkerLauncher.workerArgs(List.of("--data", "x.csv", "--workers", "2", "--threads=4", "--epochs", "2", "--threads", "3",
                        "--workers=2", "--", "--threads")));
    }

    private static Object[] with(List<Object> common, Object... more) {
        List<Object> all = new java.util.ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray();
    }
}
