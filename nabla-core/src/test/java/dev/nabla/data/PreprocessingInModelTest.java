package dev.nabla.data;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;
import dev.nabla.loss.Loss;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Rescaling;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Data read raw and scaled inside the model ({@link Split#unscaled} with {@link Standardizer#statistics} into a
 * {@link Normalization} layer and {@link Model.TargetScaling}; pixels read 0..255 into {@code Rescaling(1/255)}) is
 * what the scaling loaders give, bit for bit, so a model that takes raw data trains on the very numbers a model of
 * format 1 did.
 */
class PreprocessingInModelTest {

    @TempDir
    Path dir;

    /** 3 features on different scales and a regression target around 1,500 with decimals. */
    private LoadedData rawTable(int n) throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("a,b,c,price\n");
        for (int i = 0; i < n; i++) {
            sb.append(rng.nextDouble() * 0.3).append(',').append(100 + rng.nextDouble() * 900).append(',')
                    .append(rng.nextInt(7)).append(',').append(1234.5678 + rng.nextGaussian() * 321.123).append('\n');
        }
        return CsvLoader.loadRaw(Files.writeString(dir.resolve("t.csv"), sb), null, null);
    }

    @Test
    void normalizationOfTheUnscaledSplitGivesWhatSplitOfScaled() throws IOException {
        LoadedData raw = rawTable(200);
        for (double fraction : new double[]{0, 0.25}) {
            Split scaled = Split.of(raw, fraction, 42, true);
            Split unscaled = Split.unscaled(raw, fraction, 42);
            Preprocessing stats = Standardizer.statistics(unscaled.train(), true);
            Preprocessing fitted = scaled.train().preprocessing();
            assertArrayEquals(fitted.featureMean(), stats.featureMean());
            assertArrayEquals(fitted.featureStd(), stats.featureStd());
            assertEquals(fitted.targetMean(), stats.targetMean());
            assertEquals(fitted.targetStd(), stats.targetStd());
            assertNull(unscaled.train().preprocessing().featureMean(), "the data itself stays raw");

            Normalization normalization = new Normalization(stats.featureMean(), stats.featureStd());
            normalization.build(List.of(new int[]{3}));
            assertArrayEquals(scaled.train().x().toArray(), normalization.forward(unscaled.train().x()).toArray());
            if (fraction > 0) {
                assertArrayEquals(scaled.validation().x().toArray(), normalization.forward(unscaled.validation().x()).toArray());
            }
        }
    }

    /** Mean squared error that keeps the last targets it was given. */
    private static final class RecordingLoss implements Loss {
        final MeanSquaredError mse = new MeanSquaredError();
        Tensor targets;

        @Override
        public Tensor compute(Tensor predictions, Tensor targets) {
            this.targets = targets;
            return mse.compute(predictions, targets);
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Record config() {
            return mse.config();
        }
    }

    @Test
    void targetScalingStandardisesAsTheStandardizerDid() throws IOException {
        Split scaled = Split.of(rawTable(100), 0, 1, true);
        Split raw = Split.unscaled(rawTable(100), 0, 1);
        Preprocessing stats = Standardizer.statistics(raw.train(), true);
        Sequential network = new Sequential(new Dense(1)).seed(3).build(3);
        RecordingLoss loss = new RecordingLoss();
        Model inside = new Model(network).targetScaling(new Model.TargetScaling(stats.targetMean(), stats.targetStd()));
        inside.compile(p -> new Sgd(p, 0.01f), loss, new MeanAbsoluteErrorMetric());
        Model outside = new Model(network);
        outside.compile(p -> new Sgd(p, 0.01f), new MeanSquaredError(), new MeanAbsoluteErrorMetric());
        // the loss of a model given raw targets sees the very floats the Standardizer made of them
        Tensor x = scaled.train().x();
        Map<String, Double> scores = inside.evaluate(x, raw.train().y(), 1000);
        assertArrayEquals(scaled.train().y().toArray(), loss.targets.toArray());
        assertEquals(outside.evaluate(x, scaled.train().y()).get("loss"), scores.get("loss"));
        // predictions in the target's units: the standardised outputs mapped back in double precision, rounded once
        float[] standardised = outside.predict(x).toArray();
        float[] original = inside.predict(x).toArray();
        for (int i = 0; i < original.length; i++) {
            assertEquals((float) (standardised[i] * stats.targetStd() + stats.targetMean()), original[i], "sample " + i);
        }
    }

    @Test
    void pixelsRead0To255AndRescaledInsideAreThePixelsRead0To1() throws IOException {
        Path root = dir.resolve("img");
        int[] values = new int[256];
        for (int v = 0; v < 256; v++) values[v] = v;
        ImageFolderLoaderTest.write(ImageFolderLoaderTest.gray(16, 16, values), root.resolve("a/grey.png"));
        ImageFolderLoaderTest.write(ImageFolderLoaderTest.rgb(16, 16, 0x3366F9), root.resolve("b/colour.png"));
        LoadedData unit = ImageFolderLoader.load(root, null);
        LoadedData bytes = ImageFolderLoader.load(root, null, 255);
        assertEquals(1, unit.preprocessing().pixelMax());
        assertEquals(255, bytes.preprocessing().pixelMax());
        float[] b = bytes.x().toArray();
        for (int i = 0; i < 256; i++) assertEquals(i, b[i], "grey pixel " + i + " as stored");
        Rescaling rescaling = new Rescaling(1 / 255.0, 0);
        assertArrayEquals(unit.x().toArray(), rescaling.forward(bytes.x()).toArray());
        // data read later for the model keeps its range
        assertArrayEquals(b, ImageFolderLoader.loadWith(root, bytes.preprocessing()).x().toArray());
        assertArrayEquals(ImageFolderLoader.loadFiles(List.of(root.resolve("a/grey.png")), bytes.preprocessing()).toArray(),
                java.util.Arrays.copyOf(b, 3 * 256));

        Path idx = dir.resolve("idx");
        IdxLoaderTest.dataset(idx, "train", 40, 3, false);
        LoadedData idxUnit = IdxLoader.load(idx, false);
        LoadedData idxBytes = DataSources.loadRaw(idx, DataOptions.defaults().withPixelMax(255));
        assertEquals(255, idxBytes.preprocessing().pixelMax());
        assertEquals((39 * 10 + 5) & 0xFF, idxBytes.x().toArray()[39 * 6 + 5], "the byte as stored");
        assertArrayEquals(idxUnit.x().toArray(), new Rescaling(1 / 255.0, 0).forward(idxBytes.x()).toArray());
        assertArrayEquals(idxBytes.x().toArray(), IdxLoader.loadWith(idx, idxBytes.preprocessing(), false, true).x().toArray());
    }

    @SuppressWarnings("unchecked")
    private static Preprocessing roundTrip(Preprocessing p) {
        return Preprocessing.fromMap((Map<String, Object>) Json.parse(Json.write(p.toMap())));
    }

    @Test
    void theSavedPreprocessingKeepsThePixelRangeAndNoStatisticsTheModelHolds() throws IOException {
        Preprocessing img = new Preprocessing("image", Task.CLASSIFICATION, List.of("a", "b"), List.of(), null, null, null, 0, 1,
                new int[]{1, 4, 4}, 255);
        assertEquals(255, roundTrip(img).pixelMax());
        assertEquals(255, img.toMap().get("pixel_max"));
        Map<String, Object> v1 = new java.util.LinkedHashMap<>(img.toMap());
        v1.remove("pixel_max");
        assertEquals(1, Preprocessing.fromMap(v1).pixelMax(), "model format 1 read pixels in [0, 1]");
        v1.put("pixel_max", 100);
        JsonException e = assertThrows(JsonException.class, () -> Preprocessing.fromMap(v1));
        assertTrue(e.getMessage().contains("preprocessing.pixel_max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> img.withPixelMax(2));

        Preprocessing table = rawTable(10).preprocessing();
        assertFalse(table.toMap().containsKey("target_mean"), "a raw table's target keeps its units: " + table.toMap());
        assertFalse(table.toMap().containsKey("pixel_max"));
        Preprocessing legacy = Standardizer.fit(rawTable(10), null, true).preprocessing();
        assertEquals(legacy.targetMean(), roundTrip(legacy).targetMean());
        assertEquals(legacy.targetStd(), roundTrip(legacy).targetStd());
        Preprocessing kept = legacy.withoutTargetScaling();
        assertEquals(0, kept.targetMean());
        assertEquals(1, kept.targetStd());
        assertArrayEquals(legacy.featureMean(), kept.featureMean());
    }

    @Test
    void aModelGivesItsPreprocessingBack() {
        Model model = new Model(new Sequential(new Dense(1)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(model));
        assertTrue(missing.getMessage().contains("nabla train"), missing.getMessage());
        Preprocessing img = new Preprocessing("idx", Task.CLASSIFICATION, List.of("0", "1"), List.of(), null, null, null, 0, 1,
                new int[]{1, 2, 3}, 255);
        model.metadata().put(Preprocessing.METADATA_KEY, img.toMap());
        Preprocessing back = Preprocessing.of(model);
        assertEquals("idx", back.kind());
        assertArrayEquals(new int[]{1, 2, 3}, back.imageShape());
        assertEquals(255, back.pixelMax());
    }
}
