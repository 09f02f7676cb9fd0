package dev.nabla.cli;

import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during {@code nabla train}, in a child JVM sent SIGINT as a terminal sends it: training stops after the
 * current batch, the model so far (early stopping's best) is saved to {@code --out} and said where, exit status 130;
 * the TensorBoard events written so far are whole records.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCSavesTheBestModelSoFarAndExits130() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 3000, 4, true);
        Path out = dir.resolve("stopped.nabla");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--data", csv.toString(), "--label", "species", "--arch", "dense:32:relu", "--batch-size", "4", "--epochs", "2000",
                "--early-stopping", "2000", "--threads", "1", "--out", out.toString(),
                "--tensorboard", dir.resolve("tb").toString(), "--tensorboard-every", "7")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (!sent && line.startsWith("Epoch 2/")) {
                    // two epochs done: a best one to keep; now Ctrl-C in the middle of the third
                    signal(p, "-INT");
                    sent = true;
                    watchdog(p);
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the training stops");
            String all = String.join("\n", lines);
            assertTrue(sent, "training printed its epochs:\n" + all);
            // a JVM started with SIGINT ignored (a background job of a script) never sees it: the watchdog's SIGTERM
            // runs the same shutdown, with the status of SIGTERM
            assertEquals(terminated ? 143 : Interruption.EXIT_STATUS, p.exitValue(), all);
            String last = lines.stream().filter(l -> l.startsWith("interrupted ")).findFirst().orElse("");
            assertTrue(last.matches("interrupted after batch \\d+ of \\d+ of epoch \\d+: saved the best model so far \\(epoch \\d+, by "
                    + "early stopping\\) to .*"), all);
            assertTrue(last.contains(" to " + out), "says where: " + last);
            Model saved = Model.load(out);
            assertTrue(saved.epochsDone() >= 2, "the complete epochs: " + saved.epochsDone());
            assertTrue(ModelMetadata.training(saved).containsKey("data"), "a complete command-line model, to continue with --model");
            try (var files = Files.list(dir)) {
                assertEquals(List.of("points.csv", "runs", "stopped.nabla", "tb"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                        "no temporary file left");
            }
            // the TensorBoard events of the epochs done, in whole records (the cut-short epoch has no epoch events)
            var events = TensorBoardTest.events(TensorBoardTest.only(dir.resolve("tb").resolve("train")));
            var epochs = TensorBoardTest.scalars(events, "epoch_loss");
            assertTrue(epochs.size() >= saved.epochsDone(), epochs.size() + " epochs logged, " + saved.epochsDone() + " saved");
            for (int i = 0; i < epochs.size(); i++) assertEquals(i, epochs.get(i)[0]);
            assertTrue(TensorBoardTest.scalars(events, "batch_loss").size() >= 2 * 2700 / 4 / 7, "the batches of the epochs done");
            // the run's record ends with the interruption, after the complete epochs
            try (var runs = Files.list(dir.resolve("runs"))) {
                Path record = runs.findFirst().orElseThrow().resolve(dev.nabla.train.RunFolder.METRICS);
                List<String> recordLines = Files.readAllLines(record);
                String end = recordLines.stream().filter(l -> l.contains("\"type\":\"train_end\"")).findFirst().orElse("none");
                assertTrue(end.contains("\"status\":\"interrupted\""), end);
                long recorded = recordLines.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count();
                assertTrue(recorded >= 2 && end.contains("\"epochs_done\":" + recorded), recorded + " epochs recorded; " + end);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private volatile boolean terminated;

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor(), "kill " + signal);
    }

    /** SIGTERM when SIGINT did nothing within 30 s, and then the end: the test never hangs. */
    private void watchdog(Process p) {
        Thread t = new Thread(() -> {
            try {
                if (p.waitFor(30, TimeUnit.SECONDS)) return;
                terminated = true;
                signal(p, "-TERM");
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }, "interrupt-test-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
