package dev.nabla.tensorboard;

import dev.nabla.io.Json;
import dev.nabla.optim.CosineAnnealing;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Callback;
import dev.nabla.train.FitOptions;
import dev.nabla.train.History;
import dev.nabla.train.LearningRateScheduler;
import dev.nabla.train.Model;
import dev.nabla.train.ModelTest;
import dev.nabla.train.TrainingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event files of {@link TensorBoardCallback}, read back by an independent reader ({@link TfEvents}: Python, its
 * own CRC-32C and protobuf decoder) and checked against what training reported: the history and each batch's loss.
 */
class TensorBoardCallbackTest {

    @TempDir
    Path dir;

    /** Each batch's optimizer step and loss, as {@code fit} reported them. */
    static final class BatchLosses implements Callback {
        final List<long[]> steps = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
            steps.add(new long[] {context.optimizer().steps()});
            losses.add(loss);
        }
    }

    @Test
    void scalarsPerEpochAndPerStepsMatchWhatTrainingReported() throws Exception {
        Tensor[] data = blobs(80, 1);
        Tensor[] val = blobs(40, 2);
        Model model = classifier(3);
        BatchLosses batches = new BatchLosses();
        TensorBoardCallback tb = new TensorBoardCallback(dir.resolve("run")).updateEvery(4);
        // 80 samples in batches of 8: 10 steps an epoch, 30 in all; points at steps 4, 8, ..., 28
        History history = model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(8).seed(5)
                .validationData(val[0], val[1])
                .callbacks(LearningRateScheduler.of(new CosineAnnealing(3), 0.01f), batches, tb));

        assertTrue(tb.trainFile().getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+\\.\\d+\\.\\d+"),
                tb.trainFile().toString());
        assertEquals(dir.resolve("run").resolve("train"), tb.trainFile().getParent());
        assertEquals(dir.resolve("run").resolve("validation"), tb.validationFile().getParent());
        assertNull(tb.failure());

        List<Map<String, Object>> train = TfEvents.read(tb.trainFile()).events();
        assertEquals(EventFile.FILE_VERSION, train.get(0).get("file_version"));
        assertEquals(0L, Json.asLong(train.get(0).get("step"), "step"));
        double now = System.currentTimeMillis() / 1000.0;
        for (Map<String, Object> e : train) {
            double wall = TfEvents.number(e.get("wall_time"));
            assertTrue(wall > now - 600 && wall <= now + 1, "wall time in seconds: " + wall);
        }

        // epoch events at Keras' steps: the epoch from 0
        assertScalars(history.values("loss"), TfEvents.scalars(train, "epoch_loss"));
        assertScalars(history.values("accuracy"), TfEvents.scalars(train, "epoch_accuracy"));
        double[] lr = history.values("lr");
        assertArrayEquals(new double[] {0.01, 0.0075, 0.0025}, lr, 1e-8, "CosineAnnealingLR(T_max=3)");
        assertScalars(lr, TfEvents.scalars(train, "epoch_learning_rate"));
        assertEquals(List.of(), TfEvents.scalars(train, "epoch_val_loss"), "validation values go to validation/");

        List<Map<String, Object>> validation = TfEvents.read(tb.validationFile()).events();
        assertEquals(EventFile.FILE_VERSION, validation.get(0).get("file_version"));
        assertScalars(history.values("val_loss"), TfEvents.scalars(validation, "epoch_loss"));
        assertScalars(history.values("val_accuracy"), TfEvents.scalars(validation, "epoch_accuracy"));
        assertEquals(List.of(), TfEvents.scalars(validation, "epoch_learning_rate"));

        // batch_loss: the mean of the 4 batch losses up to each point, at the optimizer's step
        List<double[]> points = TfEvents.scalars(train, "batch_loss");
        assertEquals(7, points.size());
        assertEquals(30, batches.losses.size());
        for (int k = 0; k < points.size(); k++) {
            long step = 4L * (k + 1);
            double mean = 0;
            for (int b = 4 * k; b < 4 * k + 4; b++) mean += batches.losses.get(b);
            mean /= 4;
            assertEquals(step, batches.steps.get(4 * k + 3)[0]);
            assertEquals(step, (long) points.get(k)[0], "step of point " + k);
            assertEquals((float) mean, points.get(k)[1], 0.0, "point " + k);
        }
        assertNotEquals(points.get(0)[1], points.get(6)[1], "the loss moves");
    }

    @Test
    void aContinuedModelGoesOnFromItsEpochsAndSteps() throws Exception {
        Tensor[] data = blobs(40, 1);
        Model model = classifier(3);
        model.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(10).callbacks(new TensorBoardCallback(dir.resolve("a"))));
        TensorBoardCallback tb = new TensorBoardCallback(dir.resolve("a")).updateEvery(2);
        model.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(10).callbacks(tb));
        List<Map<String, Object>> events = TfEvents.read(tb.trainFile()).events();
        assertArrayEquals(new double[] {2, 3}, TfEvents.scalars(events, "epoch_loss").stream().mapToDouble(p -> p[0]).toArray());
        assertArrayEquals(new double[] {10, 12, 14, 16}, TfEvents.scalars(events, "batch_loss").stream().mapToDouble(p -> p[0]).toArray(),
                "steps 9 to 16 of the optimizer: points at the even ones");
        try (var files = Files.list(dir.resolve("a").resolve("train"))) {
            assertEquals(2, files.count(), "one file per fit");
        }
        assertTrue(Files.notExists(dir.resolve("a").resolve("validation")), "no validation data, no validation folder");
    }

    @Test
    void updateEveryZeroWritesEpochEventsOnly() throws Exception {
        Tensor[] data = blobs(40, 1);
        TensorBoardCallback tb = new TensorBoardCallback(dir).updateEvery(0);
        classifier(3).fit(data[0], data[1], new FitOptions().epochs(2).batchSize(4).callbacks(tb));
        List<Map<String, Object>> events = TfEvents.read(tb.trainFile()).events();
        assertEquals(List.of(), TfEvents.scalars(events, "batch_loss"));
        assertEquals(1 + 2 * 3, events.size(), "file_version, then per epoch one event each for loss, accuracy and lr");
        for (Map<String, Object> e : events.subList(1, events.size())) {
            assertEquals(1, Json.asArray(e.get("values"), "values").size(), "one value per event, as tf.summary writes them");
        }
        assertThrows(IllegalArgumentException.class, () -> new TensorBoardCallback(dir).updateEvery(-1));
    }

    @Test
    void histogramsOfEachWeightPerEpoch() throws Exception {
        Tensor[] data = blobs(40, 1);
        Model model = classifier(3);
        TensorBoardCallback tb = new TensorBoardCallback(dir).updateEvery(0).histograms(true);
        model.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(10).callbacks(tb));
        List<Map<String, Object>> events = TfEvents.read(tb.trainFile()).events();
        for (var p : model.network().namedParameters().entrySet()) {
            List<Map<String, Object>> hs = TfEvents.histograms(events, p.getKey());
            assertEquals(2, hs.size(), p.getKey());
            assertEquals(0L, Json.asLong(hs.get(0).get("step"), "step"));
            Map<String, Object> last = hs.get(1);
            assertEquals(1L, Json.asLong(last.get("step"), "step"));
            // the last epoch's histogram is of the final weights, counted here as numpy.histogram(w, 30) counts them
            float[] w = p.getValue().toArray();
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, squares = 0;
            for (float f : w) {
                min = Math.min(min, f);
                max = Math.max(max, f);
                sum += f;
                squares += (double) f * f;
            }
            assertEquals(min, TfEvents.number(last.get("min")), 0.0, p.getKey());
            assertEquals(max, TfEvents.number(last.get("max")), 0.0);
            assertEquals(w.length, TfEvents.number(last.get("num")), 0.0);
            assertEquals(sum, TfEvents.number(last.get("sum")), 1e-9 * Math.max(1, Math.abs(sum)));
            assertEquals(squares, TfEvents.number(last.get("sum_squares")), 1e-9 * squares);
            double[] limits = TfEvents.numbers(last.get("bucket_limit"));
            double[] counts = TfEvents.numbers(last.get("bucket"));
            assertEquals(30, limits.length);
            assertEquals(max, limits[29], 0.0);
            double[] expected = new double[30];
            double width = (max - min) / 30;
            for (float f : w) expected[Math.min(29, (int) Math.floor((f - min) / width))]++;
            assertArrayEquals(expected, counts, p.getKey());
            for (int i = 0; i < 29; i++) assertEquals(min + (i + 1) * width, limits[i], 1e-12 * Math.max(1, Math.abs(max - min)));
        }
    }

    @Test
    void histogramBucketsAreNumpys() {
        // numpy.histogram([0, 1, ..., 10], bins=5): edges 0, 2, 4, 6, 8, 10; counts 2, 2, 2, 2, 3 (the last closed)
        float[] values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Float.NaN};
        Histogram h = Histogram.of(values, 5);
        assertArrayEquals(new double[] {2, 4, 6, 8, 10}, h.bucketLimits());
        assertArrayEquals(new double[] {2, 2, 2, 2, 3}, h.bucketCounts());
        assertEquals(11, h.num());
        assertEquals(55, h.sum());
        assertEquals(385, h.sumSquares());
        assertEquals(0, h.min());
        assertEquals(10, h.max());
        Histogram constant = Histogram.of(new float[] {0.5f, 0.5f, 0.5f}, 30);
        assertArrayEquals(new double[] {0.5}, constant.bucketLimits());
        assertArrayEquals(new double[] {3}, constant.bucketCounts());
        assertEquals(0, Histogram.of(new float[] {Float.NaN}, 30).num());
    }

    @Test
    void trainingThatDiesLeavesTheFlushedEpochsAsWholeRecords() throws Exception {
        Tensor[] data = blobs(40, 1);
        TensorBoardCallback tb = new TensorBoardCallback(dir).updateEvery(1);
        Callback crash = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                if (epoch == 3 && batch == 2) throw new IllegalStateException("the machine went down");
            }
        };
        Model model = classifier(3);
        assertThrows(IllegalStateException.class, () -> model.fit(data[0], data[1],
                new FitOptions().epochs(5).batchSize(10).callbacks(tb, crash)));
        try {
            // read while the file is still open, as a TensorBoard would: the two epochs' events are there, whole
            List<Map<String, Object>> events = TfEvents.read(tb.trainFile()).events();
            assertArrayEquals(model.history().values("loss"),
                    TfEvents.scalars(events, "epoch_loss").stream().mapToDouble(p -> p[1]).toArray(), 1e-6);
            assertEquals(2, TfEvents.scalars(events, "epoch_loss").size());
            assertTrue(TfEvents.scalars(events, "batch_loss").size() >= 8, "the batches of the epochs done");
        } finally {
            tb.close();
        }
        assertNull(tb.failure());
    }

    @Test
    void aWriteThatFailsStopsTheEventsNotTheTraining() throws Exception {
        Tensor[] data = blobs(40, 1);
        Tensor[] val = blobs(20, 2);
        // validation/ is taken by a file: its event file cannot be made when the first epoch ends
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("validation"), "in the way");
        TensorBoardCallback tb = new TensorBoardCallback(dir).updateEvery(1);
        Model model = classifier(3);
        model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(10).validationData(val[0], val[1]).callbacks(tb));
        assertEquals(3, model.history().size(), "training went on");
        assertTrue(tb.failure() != null && tb.failure().getMessage().contains("validation"), String.valueOf(tb.failure()));
        assertNull(tb.validationFile());
        List<Map<String, Object>> events = TfEvents.read(tb.trainFile()).events();
        assertEquals(4, TfEvents.scalars(events, "batch_loss").size(), "the first epoch's steps, written before the failure");
        assertEquals(List.of(), TfEvents.scalars(events, "epoch_loss").stream().filter(p -> p[0] > 0).toList(), "nothing after it");
    }

    @Test
    void theReaderRefusesADamagedRecord() throws Exception {
        Tensor[] data = blobs(20, 1);
        TensorBoardCallback tb = new TensorBoardCallback(dir);
        classifier(3).fit(data[0], data[1], new FitOptions().epochs(1).batchSize(10).callbacks(tb));
        byte[] bytes = Files.readAllBytes(tb.trainFile());
        TfEvents.Reading whole = TfEvents.read(tb.trainFile());
        assertEquals(0, whole.status(), whole.err());
        bytes[bytes.length - 8] ^= 1;   // a bit of the last event's data
        Path damaged = Files.write(dir.resolve("damaged"), bytes);
        TfEvents.Reading reading = TfEvents.read(damaged);
        assertEquals(1, reading.status());
        assertTrue(reading.err().contains("the data's CRC does not match"), reading.err());
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(tb.trainFile()), bytes.length - 3);
        TfEvents.Reading partial = TfEvents.read(Files.write(dir.resolve("cut"), cut));
        assertEquals(0, partial.status());
        assertTrue(Json.asLong(partial.file().get("partial_tail"), "tail") > 0, "a record being written is a partial tail");
    }

    @Test
    void aFolderThatCannotBeMadeFailsBeforeTheFirstStep() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        Tensor[] data = blobs(20, 1);
        int[] steps = {0};
        Callback count = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
                steps[0]++;
            }
        };
        var e = assertThrows(java.io.UncheckedIOException.class, () -> classifier(3).fit(data[0], data[1],
                new FitOptions().epochs(1).callbacks(new TensorBoardCallback(file), count)));
        assertTrue(e.getMessage().contains(file.resolve("train").toString()), e.getMessage());
        assertEquals(0, steps[0]);
    }

    private static void assertScalars(double[] expected, List<double[]> points) {
        assertEquals(expected.length, points.size(), "one point per epoch");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(i, (long) points.get(i)[0], "step");
            assertEquals((float) expected[i], points.get(i)[1], 0.0, "epoch " + (i + 1));
        }
    }

    private static Tensor[] blobs(int n, long seed) {
        return ModelTest.blobs(n, seed);
    }

    private static Model classifier(long seed) {
        return ModelTest.classifier(seed);
    }
}
