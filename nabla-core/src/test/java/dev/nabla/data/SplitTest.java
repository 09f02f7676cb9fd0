package dev.nabla.data;

import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SplitTest {

    @TempDir
    Path dir;

    /** Rows 0..n-1 with feature value i and regression target 10 * i. */
    private LoadedData raw(int n) throws IOException {
        StringBuilder sb = new StringBuilder("v,target\n");
        for (int i = 0; i < n; i++) sb.append(i).append(',').append(10.5 * i).append('\n');
        Path p = dir.resolve("d.csv");
        Files.writeString(p, sb.toString());
        return CsvLoader.loadRaw(p, null, null);
    }

    @Test
    void indicesAreASeededPartition() {
        int[][] a = Split.indices(100, 0.2, 7);
        int[][] b = Split.indices(100, 0.2, 7);
        int[][] c = Split.indices(100, 0.2, 8);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertFalse(Arrays.equals(a[1], c[1]));
        assertEquals(80, a[0].length);
        assertEquals(20, a[1].length);
        Set<Integer> all = new HashSet<>();
        for (int[] part : a) for (int i : part) assertTrue(all.add(i));
        assertEquals(100, all.size());
    }

    @Test
    void standardisationIsFittedOnTheTrainingPartOnly() throws IOException {
        LoadedData raw = raw(50);
        Split s = Split.of(raw, 0.3, 42, true);
        assertEquals(35, s.train().size());
        assertEquals(15, s.validation().size());
        assertSame(s.train().preprocessing(), s.validation().preprocessing());
        int[][] parts = Split.indices(50, 0.3, 42);
        double mean = Arrays.stream(parts[0]).average().orElseThrow();
        double var = Arrays.stream(parts[0]).mapToDouble(i -> (i - mean) * (i - mean)).sum() / parts[0].length;
        Preprocessing p = s.train().preprocessing();
        assertEquals(mean, p.featureMean()[0], 1e-4);
        assertEquals(Math.sqrt(var), p.featureStd()[0], 1e-4);
        assertEquals(10.5 * mean, p.targetMean(), 1e-3);
        assertEquals(10.5 * Math.sqrt(var), p.targetStd(), 1e-3);
        // every sample, held out or not, is scaled with those statistics
        float[] vx = s.validation().x().toArray();
        float[] vy = s.validation().y().toArray();
        for (int i = 0; i < parts[1].length; i++) {
            assertEquals((parts[1][i] - mean) / Math.sqrt(var), vx[i], 1e-4);
            assertEquals(parts[1][i] * 10.5, Standardizer.unscaleTargets(Tensor.of(new float[]{vy[i]}), p).item(), 1e-3);
        }
        float[] tx = s.train().x().toArray();
        assertEquals(0, Arrays.stream(toDouble(tx)).average().orElseThrow(), 1e-5);
    }

    @Test
    void noValidationPartFitsOnEverything() throws IOException {
        Split s = Split.of(raw(10), 0, 1, true);
        assertNull(s.validation());
        assertEquals(10, s.train().size());
        assertEquals(4.5, s.train().preprocessing().featureMean()[0], 1e-6);
    }

    @Test
    void withoutFeatureStandardisationOnlyTheRegressionTargetIsScaled() throws IOException {
        Split s = Split.of(raw(10), 0.2, 1, false);
        assertNull(s.train().preprocessing().featureMean());
        assertNotEquals(0.0, s.train().preprocessing().targetMean());
    }

    @Test
    void tooFewSamplesForTheSplitIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.indices(3, 0.1, 1));
        assertEquals("a validation split of 0.1 of 3 samples leaves no samples for validation", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.indices(3, 1.0, 1));
    }

    @Test
    void standardisingTwiceIsRefused() throws IOException {
        LoadedData fitted = Standardizer.fit(raw(5), null, true);
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(fitted, null, true));
    }

    @Test
    void preprocessingSurvivesAJsonRoundTrip() throws IOException {
        Preprocessing p = Split.of(raw(20), 0.25, 3, true).train().preprocessing();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(p.toMap()));
        Preprocessing q = Preprocessing.fromMap(back);
        assertEquals(p.kind(), q.kind());
        assertEquals(p.task(), q.task());
        assertEquals(p.featureNames(), q.featureNames());
        assertEquals(p.labelName(), q.labelName());
        assertArrayEquals(p.featureMean(), q.featureMean());
        assertArrayEquals(p.featureStd(), q.featureStd());
        assertEquals(p.targetMean(), q.targetMean());
        assertEquals(p.targetStd(), q.targetStd());
        assertNull(q.imageShape());

        Preprocessing img = new Preprocessing("image", Task.CLASSIFICATION, List.of("a", "b"), List.of(), null, null, null, 0, 1,
                new int[]{3, 8, 6});
        @SuppressWarnings("unchecked")
        Preprocessing img2 = Preprocessing.fromMap((Map<String, Object>) Json.parse(Json.write(img.toMap())));
        assertArrayEquals(new int[]{3, 8, 6}, img2.imageShape());
        assertEquals(List.of("a", "b"), img2.classes());
        assertEquals(2, img2.numClasses());
        assertNull(img2.featureMean());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
