package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.train.History;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla train --tensorboard DIR}: the event files, read back by nabla-core's independent Python reader
 * ({@code read_tfevents.py}: its own CRC-32C and protobuf decoding), hold the run's history; bad folders are refused
 * before anything is read or written.
 */
class TensorBoardTest {

    static final Path READER = Path.of("../nabla-core/src/test/resources/tensorboard/read_tfevents.py");

    @TempDir
    Path dir;

    @Test
    void eventFilesHoldTheHistoryOfTheRun() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 300, 1, true);
        Path out = dir.resolve("m.nabla");
        Path runs = dir.resolve("runs").resolve("first");
        // 270 training rows in batches of 16: 17 steps an epoch, 51 in all; batch_loss at steps 5, 10, ..., 50
        CliTestSupport.Run run = nabla("train", "--data", csv, "--label", "species", "--epochs", "3", "--batch-size", "16",
                "--lr-schedule", "step:step_size=1:gamma=0.5", "--tensorboard", runs, "--tensorboard-every", "5",
                "--tensorboard-histograms", "--out", out, "--json");
        run.json();
        assertTrue(run.err().contains("TensorBoard: events in " + runs + " (view: tensorboard --logdir " + runs + ")"), run.err());
        History history = Model.load(out).history();

        List<Map<String, Object>> train = events(only(runs.resolve("train")));
        assertEquals("brain.Event:2", train.get(0).get("file_version"));
        assertScalars(history.values("loss"), scalars(train, "epoch_loss"));
        assertScalars(history.values("accuracy"), scalars(train, "epoch_accuracy"));
        assertScalars(new double[] {0.001, 0.0005, 0.00025}, scalars(train, "epoch_learning_rate"));
        List<double[]> batches = scalars(train, "batch_loss");
        assertEquals(10, batches.size());
        for (int k = 0; k < batches.size(); k++) assertEquals(5.0 * (k + 1), batches.get(k)[0]);
        assertTrue(batches.get(9)[1] < batches.get(0)[1], "the training loss falls");
        long histograms = train.stream().filter(e -> String.valueOf(e.get("values")).contains("histo")).count();
        assertEquals(3 * Model.load(out).network().namedParameters().size(), histograms, "each weight each epoch");

        List<Map<String, Object>> validation = events(only(runs.resolve("validation")));
        assertScalars(history.values("val_loss"), scalars(validation, "epoch_loss"));
        assertScalars(history.values("val_accuracy"), scalars(validation, "epoch_accuracy"));
    }

    @Test
    void aFolderThatCannotHoldEventsIsAUsageError() throws IOException {
        Path csv = CliTestSupport.classificationCsv(dir, "points.csv", 30, 1, true);
        Path file = Files.writeString(dir.resolve("taken"), "a file");
        Path out = dir.resolve("m.nabla");
        nabla("train", "--data", csv, "--tensorboard", file, "--out", out)
                .assertUsageError("--tensorboard " + file, "is a file, not a folder");
        nabla("train", "--data", csv, "--tensorboard", file.resolve("runs"), "--out", out)
                .assertUsageError("--tensorboard " + file.resolve("runs"), file + " is a file, not a folder");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("train"), "");
        nabla("train", "--data", csv, "--tensorboard", logs, "--out", out)
                .assertUsageError(logs.resolve("train") + " is a file, not a folder");
        nabla("train", "--data", csv, "--tensorboard", dir.resolve("m.nabla"), "--out", out)
                .assertUsageError("--tensorboard", "needs the --out");
        Path images = CliTestSupport.imageFolder(dir, "stripes", 3, 1);
        nabla("train", "--data", images, "--tensorboard", images.resolve("logs"), "--out", out)
                .assertUsageError("--tensorboard", "is inside the --data " + images, "would change the data");
        nabla("train", "--data", csv, "--tensorboard-every", "5", "--out", out).assertUsageError("--tensorboard-every", "--tensorboard DIR");
        nabla("train", "--data", csv, "--tensorboard-histograms", "--out", out).assertUsageError("--tensorboard-histograms");
        nabla("train", "--data", csv, "--tensorboard", dir.resolve("ok"), "--tensorboard-every", "-1", "--out", out)
                .assertUsageError("--tensorboard-every", "-1");
        assertFalse(Files.exists(out), "no model");
        assertFalse(Files.exists(dir.resolve("ok")), "no folder made");
        assertFalse(Files.exists(logs.resolve("validation")));
    }

    @Test
    void aWriteThatFailsDuringTrainingIsAWarning() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("validation"), "");   // put there after the flags were checked
        var events = new dev.nabla.tensorboard.TensorBoardCallback(logs);
        Model model = new Model(new dev.nabla.nn.Sequential(new dev.nabla.nn.Dense(2)).seed(1));
        model.compile(p -> new dev.nabla.optim.Sgd(p, 0.1f), new dev.nabla.loss.MeanSquaredError());
        var x = dev.nabla.tensor.Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        model.fit(x, x, new dev.nabla.train.FitOptions().epochs(2).validationData(x, x).callbacks(events));
        var err = new java.io.ByteArrayOutputStream();
        TensorBoardOptions.warnOnFailure(events, new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("warning: --tensorboard " + logs + ": writing the events stopped ("), line);
        assertTrue(line.endsWith("); training went on") && line.contains("validation"), line);
        assertEquals(2, model.epochsDone());
    }

    /** The one event file in {@code folder}. */
    static Path only(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), () -> "one event file in " + folder + ": " + all);
            assertTrue(all.get(0).getFileName().toString().startsWith("events.out.tfevents."), all.get(0).toString());
            return all.get(0);
        }
    }

    /** The file's events, as the independent reader decodes them; fails on a bad CRC or a partial record. */
    static List<Map<String, Object>> events(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", READER.toString(), file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        Map<String, Object> read = Json.asObject(Json.asArray(Json.asObject(Json.parse(out), "out").get("files"), "files").get(0), "file");
        assertEquals(0L, Json.asLong(read.get("partial_tail"), "partial_tail"), "whole records only");
        List<Map<String, Object>> events = new ArrayList<>();
        for (Object e : Json.asArray(read.get("events"), "events")) events.add(Json.asObject(e, "event"));
        return events;
    }

    /** (step, value) of each scalar under {@code tag}. */
    static List<double[]> scalars(List<Map<String, Object>> events, String tag) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if (e.get("values") == null) continue;
            for (Object v : Json.asArray(e.get("values"), "values")) {
                Map<String, Object> value = Json.asObject(v, "value");
                if (tag.equals(value.get("tag")) && value.get("simple_value") instanceof Number n) {
                    points.add(new double[] {Json.asLong(e.get("step"), "step"), n.doubleValue()});
                }
            }
        }
        return points;
    }

    static void assertScalars(double[] expected, List<double[]> points) {
        assertEquals(expected.length, points.size(), "one point per epoch");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(i, points.get(i)[0], "the epoch from 0");
            assertEquals((float) expected[i], points.get(i)[1], 0.0, "epoch " + (i + 1));
        }
    }
}
