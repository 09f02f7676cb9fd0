package dev.nabla.train;

import dev.nabla.optim.CosineAnnealing;
import dev.nabla.optim.LinearWarmup;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Callbacks that continue a saved run: a schedule of the model's epochs, early stopping's counters, a stop mid-epoch. */
class ResumableCallbacksTest {

    @TempDir
    Path dir;

    @Test
    void aScheduleOfTheModelsEpochsContinuesAfterLoading() throws IOException {
        Tensor[] data = ModelTest.blobs(160, 12);
        var schedule = new LinearWarmup(1, new CosineAnnealing(3));
        Model straight = ModelTest.classifier(4);
        straight.fit(data[0], data[1], new FitOptions().epochs(4).seed(9).callbacks(LearningRateScheduler.of(schedule, 0.01f)));

        Model first = ModelTest.classifier(4);
        first.fit(data[0], data[1], new FitOptions().epochs(2).seed(9).callbacks(LearningRateScheduler.of(schedule, 0.01f)));
        Path file = dir.resolve("half.nabla");
        first.save(file);
        Model resumed = Model.load(file);
        resumed.fit(data[0], data[1], new FitOptions().epochs(2).seed(9).callbacks(LearningRateScheduler.of(schedule, 0.01f)));

        // warm-up 0.01 * 1/1, then cosine over 3 epochs: 0.01, 0.0075, 0.0025 (CosineAnnealingLR(T_max=3))
        double[] expected = {0.01, 0.01, 0.0075, 0.0025};
        assertArrayEquals(expected, resumed.history().values("lr"), 1e-8);
        assertArrayEquals(straight.history().values("lr"), resumed.history().values("lr"));
        for (var e : straight.network().namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), resumed.network().namedParameters().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void earlyStoppingResumesItsCounting() {
        Tensor[] data = ModelTest.blobs(120, 3);
        Model model = ModelTest.classifier(1);
        // an earlier run's best (lower than anything this run reaches) with 1 of patience 2 used: two bad epochs stop
        EarlyStopping stop = new EarlyStopping("val_loss", 2, 0, true).resume(-1.0, 7, 1);
        model.fit(data[0], data[1], new FitOptions().epochs(10).validationSplit(0.25).callbacks(stop));
        assertEquals(2, model.history().size(), "1 epoch of patience was left, and it stops after the next bad one");
        assertEquals(7, stop.bestEpoch());
        assertTrue(stop.stopped());
        assertEquals(3, stop.waited());
    }

    @Test
    void stopAfterBatchEndsTheEpochInProgressUnlogged() {
        Tensor[] data = ModelTest.blobs(100, 5);
        Model model = ModelTest.classifier(2);
        int[] batches = {0};
        Callback stopAtThird = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int batch, int count, double loss, TrainingContext context) {
                batches[0]++;
                if (epoch == 2 && batch == 3) context.stopAfterBatch();
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
                assertFalse(context.stoppedAfterBatch(), "a cut-short epoch has no end");
            }
        };
        model.fit(data[0], data[1], new FitOptions().epochs(5).batchSize(10).callbacks(stopAtThird));
        assertEquals(10 + 3, batches[0], "all of epoch 1, 3 batches of epoch 2");
        assertEquals(1, model.epochsDone());
        assertEquals(1, model.history().size());
        assertEquals(13, model.optimizer().steps());
    }
}
