package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CsvLoaderTest {

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static DataException fails(Executable e) {
        return assertThrows(DataException.class, e::run);
    }

    @FunctionalInterface
    interface Executable {
        void run() throws Exception;
    }

    @Test
    void stringLabelsBecomeSortedClassesAndFeaturesKeepTheirOrder() throws IOException {
        Path p = csv("iris.csv", "a,b,species\n1,2,versicolor\n3,4,setosa\n5,6,virginica\n7,8,setosa\n");
        LoadedData d = CsvLoader.load(p, null, false);
        Preprocessing pp = d.preprocessing();
        assertEquals("table", pp.kind());
        assertEquals(Task.CLASSIFICATION, pp.task());
        assertEquals(List.of("setosa", "versicolor", "virginica"), pp.classes());
        assertEquals(List.of("a", "b"), pp.featureNames());
        assertEquals("species", pp.labelName());
        assertNull(pp.featureMean());
        assertArrayEquals(new int[]{4, 2}, d.x().shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, d.x().toArray());
        assertArrayEquals(new float[]{1, 0, 2, 0}, d.y().toArray());
        assertEquals(4, d.size());
    }

    @Test
    void labelColumnByNameAnywhereAndCaseInsensitiveFallback() throws IOException {
        Path p = csv("t.csv", "kind,x,y\ncat,1,2\ndog,3,4\n");
        LoadedData d = CsvLoader.load(p, "kind", false);
        assertEquals(List.of("x", "y"), d.preprocessing().featureNames());
        assertArrayEquals(new float[]{1, 2, 3, 4}, d.x().toArray());
        assertEquals(List.of("cat", "dog"), CsvLoader.load(p, "KIND", false).preprocessing().classes());
    }

    @Test
    void quotedFieldsFollowRfc4180() throws IOException {
        String text = "\uFEFF\"width, cm\",\"height\",label\r\n"
                + "\"1.5\",2,\"a, with comma\"\r\n"
                + "\r\n"
                + " 3 , \"4\" ,\"say \"\"hi\"\"\"\r\n"
                + "5,6,\"two\nlines\"\r\n";
        LoadedData d = CsvLoader.load(csv("q.csv", text), null, false);
        assertEquals(List.of("width, cm", "height"), d.preprocessing().featureNames());
        assertEquals(List.of("a, with comma", "say \"hi\"", "two\nlines"), d.preprocessing().classes());
        assertArrayEquals(new float[]{1.5f, 2, 3, 4, 5, 6}, d.x().toArray());
    }

    @Test
    void lineNumbersCountLineBreaksInsideQuotes() throws IOException {
        Path p = csv("q.csv", "x,label\n1,\"multi\nline\"\n1e39,b\n");
        DataException e = fails(() -> CsvLoader.load(p, null, false));
        assertEquals(p + " line 4, column 'x': '1e39' is too large for a 32-bit float", e.getMessage());
    }

    @Test
    void integralLabelsWithFewValuesAreClassesSortedByValue() throws IOException {
        Path p = csv("n.csv", "x,y\n1,10\n2,2\n3,2.0\n4,-1\n5,-1\n6,10\n");
        LoadedData d = CsvLoader.load(p, null, true);
        assertEquals(Task.CLASSIFICATION, d.preprocessing().task());
        assertEquals(List.of("-1", "2", "10"), d.preprocessing().classes());
        assertArrayEquals(new float[]{2, 1, 1, 0, 0, 2}, d.y().toArray());
        assertEquals("'y' holds 3 distinct whole numbers, each on 2 or more rows, so they are classes; give --task regression"
                + " to predict them as numbers", d.preprocessing().taskReason());
        assertEquals(0.0, d.preprocessing().targetMean());
        assertEquals(1.0, d.preprocessing().targetStd());
    }

    @Test
    void fractionalOrManyDistinctNumbersAreARegressionTarget() throws IOException {
        LoadedData d = CsvLoader.load(csv("r.csv", "x,price\n1,1.5\n2,2.5\n3,3.5\n"), null, false);
        assertEquals(Task.REGRESSION, d.preprocessing().task());
        assertEquals(List.of(), d.preprocessing().classes());
        assertArrayEquals(new int[]{3, 1}, d.y().shape());
        assertEquals(2.5, d.preprocessing().targetMean(), 1e-9);
        double std = Math.sqrt(2.0 / 3);
        assertEquals(std, d.preprocessing().targetStd(), 1e-9);
        assertArrayEquals(new float[]{(float) (-1 / std), 0, (float) (1 / std)}, d.y().toArray(), 1e-6f);

        StringBuilder many = new StringBuilder("x,age\n");
        for (int i = 0; i <= CsvLoader.MAX_INTEGER_CLASSES; i++) many.append(i).append(',').append(i * 3).append('\n');
        assertEquals(Task.REGRESSION, CsvLoader.load(csv("m.csv", many.toString()), null, false).preprocessing().task());
        StringBuilder few = new StringBuilder("x,grade\n");
        for (int i = 0; i < 2 * CsvLoader.MAX_INTEGER_CLASSES; i++) few.append(i).append(',').append(i / 2).append('\n');
        assertEquals(Task.CLASSIFICATION, CsvLoader.load(csv("f.csv", few.toString()), null, false).preprocessing().task());
        // the case of the issue: 16 whole-number values of a small regression table are no longer 16 classes
        StringBuilder sixteen = new StringBuilder("x,target\n");
        for (int i = 0; i < 40; i++) sixteen.append(i).append(',').append(i % 16).append('\n');
        Preprocessing p16 = CsvLoader.load(csv("t.csv", sixteen.toString()), null, false).preprocessing();
        assertEquals(Task.REGRESSION, p16.task());
        assertEquals("'target' holds whole numbers with 16 distinct values (classes need at most 10), so they are numbers"
                + " to predict; give --task classification to treat them as classes", p16.taskReason());
        StringBuilder once = new StringBuilder("x,count\n1,0\n2,0\n3,1\n4,1\n5,7\n");
        assertTrue(CsvLoader.load(csv("o.csv", once.toString()), null, false).preprocessing().taskReason()
                .contains("a value on only one row"));
    }

    @Test
    void taskCanBeForced() throws IOException {
        Path p = csv("n.csv", "x,y\n1,1\n2,2\n3,3\n");
        assertEquals(Task.REGRESSION, CsvLoader.loadRaw(p, null, Task.REGRESSION).preprocessing().task());
        Path s = csv("s.csv", "x,y\n1,a\n2,b\n");
        DataException e = fails(() -> CsvLoader.loadRaw(s, null, Task.REGRESSION));
        assertEquals(s + " line 2, column 'y': 'a' is not a number (a regression target must be numeric)", e.getMessage());
    }

    @Test
    void standardisationUsesPopulationStatisticsAndKeepsConstantColumns() throws IOException {
        LoadedData d = CsvLoader.load(csv("s.csv", "a,c,label\n1,5,x\n3,5,y\n"), null, true);
        Preprocessing p = d.preprocessing();
        assertArrayEquals(new float[]{2, 5}, p.featureMean());
        assertArrayEquals(new float[]{1, 1}, p.featureStd());
        assertArrayEquals(new float[]{-1, 0, 1, 0}, d.x().toArray());
    }

    @Test
    void loadWithMatchesColumnsByNameAndScalesWithTrainingStatistics() throws IOException {
        LoadedData train = CsvLoader.load(csv("train.csv", "a,b,label\n0,10,x\n2,30,y\n"), null, true);
        Path test = csv("test.csv", "extra,label,b,a\n99,y,20,4\n98,x,10,1\n");
        LoadedData d = CsvLoader.loadWith(test, train.preprocessing(), true);
        // a: mean 1, std 1; b: mean 20, std 10 — the test file's own statistics play no part
        assertArrayEquals(new float[]{3, 0, 0, -1}, d.x().toArray(), 1e-6f);
        assertArrayEquals(new float[]{1, 0}, d.y().toArray());
        assertSame(train.preprocessing(), d.preprocessing());
    }

    @Test
    void loadWithForPredictNeedsNoLabelColumn() throws IOException {
        LoadedData train = CsvLoader.load(csv("train.csv", "a,label\n0,x\n2,y\n"), null, false);
        LoadedData d = CsvLoader.loadWith(csv("new.csv", "a\n5\n6\n"), train.preprocessing(), false);
        assertNull(d.y());
        assertArrayEquals(new float[]{5, 6}, d.x().toArray());
        Path noLabel = csv("eval.csv", "a\n5\n");
        DataException e = fails(() -> CsvLoader.loadWith(noLabel, train.preprocessing(), true));
        assertEquals(noLabel + ": no label column 'label' (columns: a)", e.getMessage());
    }

    @Test
    void loadWithScalesRegressionTargetsAndMatchesNumericClassSpellings() throws IOException {
        LoadedData reg = CsvLoader.load(csv("r.csv", "x,t\n1,1.5\n2,3.5\n"), null, false);
        LoadedData r = CsvLoader.loadWith(csv("r2.csv", "x,t\n1,4.5\n"), reg.preprocessing(), true);
        assertArrayEquals(new float[]{2}, r.y().toArray(), 1e-6f);
        assertArrayEquals(new int[]{1, 1}, r.y().shape());
        Tensor back = Standardizer.unscaleTargets(r.y(), reg.preprocessing());
        assertEquals(4.5f, back.toArray()[0], 1e-6f);

        LoadedData cls = CsvLoader.load(csv("c.csv", "x,k\n1,0\n2,1\n3,0\n4,1\n"), null, false);
        LoadedData c = CsvLoader.loadWith(csv("c2.csv", "x,k\n1,1.0\n2,0\n"), cls.preprocessing(), true);
        assertArrayEquals(new float[]{1, 0}, c.y().toArray());
    }

    @Test
    void unseenClassAtEvaluateTimeIsNamed() throws IOException {
        LoadedData train = CsvLoader.load(csv("train.csv", "a,animal\n0,cat\n2,dog\n"), null, false);
        Path test = csv("test.csv", "a,animal\n1,cat\n1,zebra\n");
        DataException e = fails(() -> CsvLoader.loadWith(test, train.preprocessing(), true));
        assertEquals(test + " line 3, column 'animal': class 'zebra' was not seen in training (classes: cat, dog)", e.getMessage());
    }

    @Test
    void missingFeatureColumnAtEvaluateTimeIsNamed() throws IOException {
        LoadedData train = CsvLoader.load(csv("train.csv", "age,height,label\n0,1,a\n2,3,b\n"), null, false);
        Path test = csv("test.csv", "height,label\n1,a\n");
        DataException e = fails(() -> CsvLoader.loadWith(test, train.preprocessing(), true));
        assertEquals(test + ": the model needs the feature column 'age', which is missing (columns: height, label)", e.getMessage());
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertEquals(missing + ": no such file", fails(() -> CsvLoader.load(missing, null, true)).getMessage());

        Path empty = csv("empty.csv", "");
        assertEquals(empty + ": the file is empty (expected a header row with column names)",
                fails(() -> CsvLoader.load(empty, null, true)).getMessage());

        Path headerOnly = csv("header.csv", "a,b\n\n");
        assertEquals(headerOnly + ": no data rows after the header", fails(() -> CsvLoader.load(headerOnly, null, true)).getMessage());

        Path p = csv("people.csv", "name_len,age,income,label\n1,2,3,a\n1,2,3,b\n1,2,3,a\n1,2,3,b\n1,2,3,a\n1,4,3,b\n");
        Path words = csv("words.csv", "name_len,age,income,label\n1,2,3,a\n1,abc,3,b\n");
        assertEquals(words + " line 3, column 'age': 'abc' is not a number",
                fails(() -> CsvLoader.loadWith(words, CsvLoader.load(p, null, true).preprocessing(), true)).getMessage());

        assertEquals(p + ": no label column 'price' (columns: name_len, age, income, label)",
                fails(() -> CsvLoader.load(p, "price", true)).getMessage());

        Path ragged = csv("ragged.csv", "a,b,label\n1,2,x\n1,y\n");
        assertEquals(ragged + " line 3: 2 values, but the header has 3 columns", fails(() -> CsvLoader.load(ragged, null, true)).getMessage());


        Path quote = csv("quote.csv", "a,label\n1,\"open\n2,b\n");
        assertEquals(quote + " line 2: a quoted field is never closed (missing '\"')", fails(() -> CsvLoader.load(quote, null, true)).getMessage());

        Path unnamed = csv("unnamed.csv", ",a,label\n0,1,x\n");
        assertEquals(unnamed + " line 1: column 1 of the header has no name (the first row must name every column)",
                fails(() -> CsvLoader.load(unnamed, null, true)).getMessage());

        Path twice = csv("twice.csv", "a,a,label\n0,1,x\n");
        assertEquals(twice + " line 1: the header names column 'a' twice", fails(() -> CsvLoader.load(twice, null, true)).getMessage());

        Path one = csv("one.csv", "a,label\n0,x\n1,x\n");
        assertEquals(one + ": the label column 'label' has only one class ('x'); classification needs at least 2",
                fails(() -> CsvLoader.load(one, null, true)).getMessage());

        Path onlyLabel = csv("only.csv", "label\nx\ny\n");
        assertEquals(onlyLabel + ": the only column is the label 'label'; there are no feature columns",
                fails(() -> CsvLoader.load(onlyLabel, null, true)).getMessage());

        Path emptyLabel = csv("el.csv", "a,label\n0,x\n1, \n");
        assertEquals(emptyLabel + " line 3, column 'label': the label is empty (fill it in or drop the row)",
                fails(() -> CsvLoader.load(emptyLabel, null, true)).getMessage());
        Path naLabel = csv("na.csv", "a,label\n0,x\n1,y\n2,NA\n");
        assertEquals(naLabel + " line 4, column 'label': the label is missing ('NA'; fill it in or drop the row)",
                fails(() -> CsvLoader.load(naLabel, null, true)).getMessage());

        assertEquals(dir + ": is a folder, not a CSV file", fails(() -> CsvLoader.load(dir, null, true)).getMessage());
    }

    @Test
    void fastNumberParsingAgreesWithTheJdk() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < 4_000; i++) {
            double d = switch (i % 4) {
                case 0 -> rng.nextGaussian();
                case 1 -> rng.nextDouble(-1e6, 1e6);
                case 2 -> Math.scalb(rng.nextDouble(), rng.nextInt(-80, 80));
                default -> Math.round(rng.nextDouble(-1000, 1000) * 100) / 100.0;
            };
            for (String s : List.of(Double.toString(d), String.format(java.util.Locale.ROOT, "%.3f", d),
                    String.format(java.util.Locale.ROOT, "%.6e", d), new java.math.BigDecimal(d).toPlainString())) {
                float want = (float) Double.parseDouble(s);
                float got = (float) CsvLoader.parseNumber(s);
                assertTrue(Math.abs(got - want) <= Math.ulp(want), s + ": " + got + " vs " + want);
            }
        }
        assertEquals(0.1, CsvLoader.parseNumber("0.1"));
        assertEquals(-2.5e-7, CsvLoader.parseNumber("-2.5E-7"));
        assertEquals(1e30, CsvLoader.parseNumber("1e30"), 1e15);
        assertEquals(123456789012345678.0, CsvLoader.parseNumber("000123456789012345678"));
    }

    @Test
    void strictNumbers() {
        for (String ok : List.of("0", "-1", "+2.5", ".5", "5.", "1e3", "1.5E-7")) assertTrue(CsvLoader.isNumber(ok), ok);
        for (String bad : List.of("", "-", ".", "e3", "1e", "1f", "0x10", "NaN", "Infinity", "1,5", "1 2")) {
            assertFalse(CsvLoader.isNumber(bad), bad);
        }
    }
}
