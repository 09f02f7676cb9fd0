package dev.nabla.train;

import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run record: its events against the model's history and the batch losses, and the files of a run folder. */
class RunRecorderTest {

    @TempDir
    Path dir;

    /** Collects what a recorder sends. */
    static final class Collect implements RunRecorder.Sink {
        final List<String> settings = new ArrayList<>();
        final List<Map<String, Object>> events = new ArrayList<>();

        @Override
        public void settings(String json) {
            settings.add(json);
        }

        @Override
        public void event(String json) {
            assertTrue(json.indexOf('\n') < 0, "one line");
            events.add(Json.asObject(Json.parse(json), "event"));
        }

        List<Map<String, Object>> of(String type) {
            return events.stream().filter(e -> e.get("type").equals(type)).toList();
        }
    }

    @Test
    void epochEventsAreTheHistoryAndTheFolderKeepsThemAsLines() throws IOException {
        Tensor[] data = ModelTest.blobs(120, 4);
        Model model = ModelTest.classifier(2);
        RunFolder folder = RunFolder.create(dir.resolve("runs"), "blobs");
        Collect seen = new Collect();
        try (RunRecorder recorder = new RunRecorder(folder, seen).settings(Map.of("optimizer", "adam"))) {
            model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(16).validationSplit(0.25).seed(5).callbacks(recorder));
        }
        List<String> lines = Files.readAllLines(folder.folder().resolve(RunFolder.METRICS), StandardCharsets.UTF_8);
        assertEquals(seen.events.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) assertEquals(seen.events.get(i), Json.parse(lines.get(i)), "line " + (i + 1));

        assertEquals("start", seen.events.get(0).get("type"));
        assertEquals("train_end", seen.events.get(seen.events.size() - 1).get("type"));
        List<Map<String, Object>> epochs = seen.of("epoch");
        assertEquals(3, epochs.size());
        for (int e = 0; e < 3; e++) {
            Map<String, Object> event = epochs.get(e);
            assertEquals((long) e + 1, event.get("epoch"));
            // the logs are the history's, to the last bit (JSON numbers written in their shortest exact form)
            assertEquals(new LinkedHashMap<>(model.history().epochs().get(e)), event.get("logs"));
            // 90 training samples in the epoch's time (written to the millisecond)
            double seconds = (Double) event.get("epoch_seconds");
            double speed = (Double) event.get("samples_per_second");
            assertTrue(speed >= 90 / (seconds + 0.0005) * 0.9999 && speed <= 90 / Math.max(seconds - 0.0005, 1e-9) * 1.0001,
                    speed + " samples/s in " + seconds + " s");
        }
        Map<String, Object> last = epochs.get(2);
        assertEquals(0.0, last.get("eta"));
        // elapsed / epochs done * epochs left, after the first of three
        assertEquals((Double) epochs.get(0).get("elapsed") * 2, (Double) epochs.get(0).get("eta"), 0.0021);
        Map<String, Object> end = seen.of("train_end").get(0);
        assertEquals("completed", end.get("status"));
        assertEquals(3L, end.get("epochs_done"));

        Map<String, Object> settings = Json.asObject(Json.parse(Files.readString(folder.folder().resolve(RunFolder.SETTINGS))), "settings");
        assertEquals("adam", settings.get("optimizer"));
        assertEquals(settings.get("start_time"), seen.events.get(0).get("time"));
        assertEquals(Json.parse(seen.settings.get(0)), settings);
        assertEquals(90L, seen.events.get(0).get("train_samples"));
        assertEquals(1L, seen.events.get(0).get("first_epoch"));
        assertEquals(3L, seen.events.get(0).get("epochs"));
    }

    @Test
    void aBatchPointIsTheMeanLossOfTheBatchesSinceThePreviousOne() {
        Tensor[] data = ModelTest.blobs(96, 6);
        Model model = ModelTest.classifier(3);
        List<Double> losses = new ArrayList<>();
        // batches 1, 3 and 5 of each epoch take over 0.1 s: the points fall there (the first batch always has one)
        Callback pace = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                losses.add(loss);
                if (batch % 2 == 1) sleep(130);
            }
        };
        Collect seen = new Collect();
        RunRecorder recorder = new RunRecorder(seen);
        model.fit(data[0], data[1], new FitOptions().epochs(1).batchSize(16).seed(2).shuffle(false).callbacks(pace, recorder));
        List<Map<String, Object>> points = seen.of("batch");
        assertEquals(List.of(1L, 3L, 5L), points.stream().map(p -> p.get("batch")).toList());
        assertEquals(losses.get(0), (Double) points.get(0).get("loss"), 1e-12);
        assertEquals((losses.get(1) + losses.get(2)) / 2, (Double) points.get(1).get("loss"), 1e-12);
        assertEquals((losses.get(3) + losses.get(4)) / 2, (Double) points.get(2).get("loss"), 1e-12);
        for (Map<String, Object> p : points) assertEquals(6L, p.get("batches"));
        // two batches of 16 samples in about 0.13 s: about 245 samples a second
        double speed = (Double) points.get(1).get("samples_per_second");
        assertTrue(speed > 100 && speed < 32 / 0.13 * 1.05, "samples/s " + speed);
        // settings sent on the first event when none were given
        assertEquals(1, seen.settings.size());
        assertEquals(96L, Json.asObject(Json.parse(seen.settings.get(0)), "settings").get("train_samples"));
    }

    @Test
    void aFastRunHasAtMostTenBatchPointsASecond() {
        Tensor[] data = ModelTest.blobs(2000, 7);
        Model model = ModelTest.classifier(4);
        Collect seen = new Collect();
        long start = System.nanoTime();
        model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(4).seed(2).callbacks(new RunRecorder(seen)));
        double seconds = (System.nanoTime() - start) / 1e9;
        int points = seen.of("batch").size();
        assertTrue(points >= 1 && points <= seconds * 10 + 1, points + " points in " + seconds + " s, 1500 batches");
    }

    @Test
    void failuresAndNonFiniteNumbersAreRecorded() {
        Tensor[] data = ModelTest.blobs(64, 8);
        Model model = ModelTest.classifier(5);
        Collect seen = new Collect();
        RunRecorder recorder = new RunRecorder(seen);
        Callback breaks = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                if (epoch == 2) throw new IllegalStateException("boom");
            }
        };
        assertThrows(IllegalStateException.class, () -> model.fit(data[0], data[1],
                new FitOptions().epochs(3).batchSize(32).callbacks(recorder, breaks)));
        recorder.failed("boom");
        recorder.failed("twice");
        Map<String, Object> end = seen.of("train_end").get(0);
        assertEquals(1, seen.of("train_end").size(), "one end");
        assertEquals("failed", end.get("status"));
        assertEquals("boom", end.get("message"));
        assertEquals(1L, end.get("epochs_done"));

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("loss", Double.NaN);
        metrics.put("mae", 0.5);
        recorder.test(Map.of("metrics", metrics, "values", List.of(Double.POSITIVE_INFINITY, 1.0)));
        Map<String, Object> test = seen.of("test").get(0);
        Map<String, Object> m = Json.asObject(test.get("metrics"), "metrics");
        assertTrue(m.containsKey("loss"));
        assertNull(m.get("loss"));
        assertEquals(0.5, m.get("mae"));
        assertEquals(java.util.Arrays.asList(null, 1.0), test.get("values"));
    }

    @Test
    void runFoldersAreNewEveryTimeAndNamedSafely() throws IOException {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            RunFolder f = RunFolder.create(dir, "my model/v1");
            assertTrue(made.add(f.folder()), "a new folder each time");
            assertTrue(f.folder().getFileName().toString().matches("\\d{8}-\\d{6}_my_model_v1(-\\d+)?"), f.folder().toString());
            assertEquals(dir, f.folder().getParent());
        }
        Path taken = RunFolder.create(dir, "x").folder();
        Files.writeString(taken.resolve(RunFolder.METRICS), "kept\n");
        // a run never writes into another's folder, even one of the same second and name
        for (int i = 0; i < 2; i++) assertTrue(!RunFolder.create(dir, "x").folder().equals(taken));
        assertEquals("kept\n", Files.readString(taken.resolve(RunFolder.METRICS)));
        assertEquals("run", RunFolder.safe(""));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
