package dev.nabla.data;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** String feature columns, missing cells, column choice, encodings and delimiters of CSV tables. */
class TableColumnsTest {

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static DataException fails(org.junit.jupiter.api.function.Executable run) {
        return assertThrows(DataException.class, run);
    }

    @Test
    void fewTextValuesAreOneHotSortedAndUnseenOnesAreAllZeros() throws IOException {
        Path p = csv("t.csv", "color,size,label\nred,1,a\nblue,2,b\nred,3,a\ngreen,4,b\n");
        LoadedData d = CsvLoader.loadRaw(p, null, null);
        TableColumns t = d.preprocessing().columns();
        assertEquals(List.of("color=blue", "color=green", "color=red", "size"), t.inputNames());
        assertArrayEquals(new float[]{0, 0, 1, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 4}, d.x().toArray());
        // a colour never seen in training: all zeros, not an error (scikit-learn's handle_unknown="ignore")
        LoadedData later = CsvLoader.loadWith(csv("new.csv", "size,color\n5,purple\n6,blue\n"), d.preprocessing(), false);
        assertArrayEquals(new float[]{0, 0, 0, 5, 1, 0, 0, 6}, later.x().toArray());
    }

    @Test
    void manyTextValuesAreHashedIntoFixedBuckets() throws IOException {
        StringBuilder sb = new StringBuilder("city,label\n");
        for (int i = 0; i < 40; i++) sb.append("city").append(i).append(',').append(i % 2).append('\n');
        LoadedData d = CsvLoader.loadRaw(csv("h.csv", sb.toString()), null, Task.CLASSIFICATION);
        assertEquals(TableColumns.HASH_BUCKETS, d.x().shape(1));
        float[] x = d.x().toArray();
        for (int i = 0; i < 40; i++) {
            int hot = -1;
            float sum = 0;
            for (int b = 0; b < TableColumns.HASH_BUCKETS; b++) {
                sum += x[i * TableColumns.HASH_BUCKETS + b];
                if (x[i * TableColumns.HASH_BUCKETS + b] == 1) hot = b;
            }
            assertEquals(1, sum);
            assertEquals(HashedColumn.bucket(("city" + i).hashCode(), TableColumns.HASH_BUCKETS), hot);
        }
        // computed by hand in Python: Java's "city0".hashCode() is 94671909, MurmurHash3's fmix32 of it mod 32 is 30
        assertEquals(94671909, "city0".hashCode());
        assertEquals(30, HashedColumn.bucket(94671909, 32));
        float[] unseen = new float[32];
        d.preprocessing().columns().features().get(0).encode("never seen", unseen, 0);
        assertEquals(1, unseen[HashedColumn.bucket("never seen".hashCode(), 32)]);
    }

    @Test
    void missingCellsAreImputedWithMedianAndMostFrequentWithIndicators() throws IOException {
        Path p = csv("m.csv", "age,pet,income,label\n10,cat,1,a\nNA,dog,2,b\n30,,3,a\n?,cat,4,b\nnan,cat,5,a\n 40 ,N/A,6,b\n");
        LoadedData d = CsvLoader.loadRaw(p, null, null);
        TableColumns t = d.preprocessing().columns();
        assertEquals(List.of("age", "age_missing", "pet=cat", "pet=dog", "income"), t.inputNames());
        // median of 10, 30, 40 is 30; the most frequent pet is cat; income had no missing cell, so no indicator
        float[] expected = {
                10, 0, 1, 0, 1,
                30, 1, 0, 1, 2,
                30, 0, 1, 0, 3,
                30, 1, 1, 0, 4,
                30, 1, 1, 0, 5,
                40, 0, 1, 0, 6};
        assertArrayEquals(expected, d.x().toArray());
        // a missing cell at prediction time in a column that had none in training: the median, no indicator
        LoadedData later = CsvLoader.loadWith(csv("p.csv", "age,pet,income\n,dog,NULL\n"), d.preprocessing(), false);
        assertArrayEquals(new float[]{30, 1, 0, 1, 3.5f}, later.x().toArray());
    }

    @Test
    void numbersOfAServerRowEncodeAsTheirTextDoes() throws IOException {
        Path p = csv("n.csv", "age,income,label\n10,1.5,a\nNA,2.25,b\n30,3,a\n41,0.1,b\n");
        TableColumns t = CsvLoader.loadRaw(p, null, null).preprocessing().columns();
        double[] numbers = {12.5, 0.1, Double.NaN, 7, 1e-3, 123456.789};
        List<List<String>> text = List.of(List.of("12.5", "0.1"), List.of("NaN", "7"), List.of("0.001", "123456.789"));
        // median 30 and an indicator for age (it had a missing cell); income had none
        assertArrayEquals(new float[]{12.5f, 0, 0.1f, 30, 1, 7, 0.001f, 0, 123456.789f},
                t.encodeFeatureNumbers(numbers, 3).toArray());
        assertArrayEquals(t.encodeFeatureRows(text).toArray(), t.encodeFeatureNumbers(numbers, 3).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.encodeFeatureNumbers(new double[]{1, 1e300}, 1));
        assertTrue(e.getMessage().contains("column 'income'") && e.getMessage().contains("too large"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.encodeFeatureNumbers(new double[]{1, 2, 3}, 1));
    }

    @Test
    void readingTheTrainingFileForTheModelGivesTheTrainingInputs() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 60; i++) {
            sb.append(i % 7 == 0 ? "NA" : String.valueOf(i * 0.5)).append(',').append("k").append(i % 5).append(',')
                    .append("id").append(i).append(',').append(i % 11 == 0 ? "" : "z" + i % 3).append(',').append(i % 3).append('\n');
        }
        Path p = csv("all.csv", sb.toString());
        LoadedData train = CsvLoader.loadRaw(p, null, null);
        LoadedData again = CsvLoader.loadWith(p, train.preprocessing(), true);
        assertArrayEquals(train.x().toArray(), again.x().toArray());
        assertArrayEquals(train.y().toArray(), again.y().toArray());
        // the same through the cells-in-column-order API a server would use
        List<List<String>> rows = new ArrayList<>();
        for (String line : sb.toString().split("\n")) rows.add(List.of(line.split(",", -1)));
        rows.remove(0);
        assertArrayEquals(train.x().toArray(), train.preprocessing().columns().encode(rows).toArray());
    }

    @Test
    void encodersAreFittedOnTheTrainingRowsOnly() throws IOException {
        Path p = csv("f.csv", "x,c,label\n1,a,0\n2,b,1\n100,zz,0\n3,a,1\n");
        LoadedData d = CsvLoader.loadTable(p, DataOptions.defaults(), n -> new int[]{0, 1, 3});
        TableColumns t = d.preprocessing().columns();
        assertEquals(new NumericColumn("x", 2.0, false), t.features().get(0));
        assertEquals(List.of("a", "b"), ((OneHotColumn) t.features().get(1)).categories());
        // row 2's category is unseen by the fitted encoder
        assertArrayEquals(new float[]{100, 0, 0}, java.util.Arrays.copyOfRange(d.x().toArray(), 6, 9));
    }

    @Test
    void columnsSurviveTheModelFileAsJson() throws IOException {
        Path p = csv("j.csv", "age,pet,city,label\n1,cat,x1,a\nNA,dog,x2,b\n" + "3,cat,x3,a\n".repeat(1)
                + "4,dog,x4,b\n5,cat,x5,a\n6,dog,x6,b\n7,cat,x7,a\n8,dog,x8,b\n9,cat,x9,a\n10,cat,x10,b\n"
                + "11,cat,x11,a\n12,cat,x12,b\n13,cat,x13,a\n14,cat,x14,b\n15,cat,x15,a\n16,cat,x16,b\n17,cat,x17,a\n18,cat,x18,b\n");
        Preprocessing p0 = CsvLoader.loadRaw(p, null, null).preprocessing();
        assertInstanceOf(HashedColumn.class, p0.columns().features().get(2));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(p0.toMap()));
        Preprocessing p1 = Preprocessing.fromMap(back);
        assertEquals(p0.columns().toMap(), p1.columns().toMap());
        assertEquals(p0.taskReason(), p1.taskReason());
        float[] a = new float[p0.columns().width()];
        float[] b = new float[a.length];
        for (var row : List.of(List.of("NA", "dog", "unseen", "a"), List.of("2", "bird", "x3", "b"))) {
            p0.columns().encode(List.of(row)).data();
            System.arraycopy(p0.columns().encode(List.of(row)).toArray(), 0, a, 0, a.length);
            System.arraycopy(p1.columns().encode(List.of(row)).toArray(), 0, b, 0, b.length);
            assertArrayEquals(a, b);
        }
        // a broken entry names itself
        @SuppressWarnings("unchecked")
        Map<String, Object> broken = (Map<String, Object>) Json.parse(Json.write(p0.toMap()).replace("\"one_hot\"", "\"one_cold\""));
        var e = assertThrows(dev.nabla.io.JsonException.class, () -> Preprocessing.fromMap(broken));
        assertTrue(e.getMessage().startsWith("preprocessing.columns.features[1].type: unknown column kind 'one_cold'"), e.getMessage());
    }

    @Test
    void modelsWithoutColumnsReadPlainNumbersStrictly() throws IOException {
        Preprocessing old = new Preprocessing("table", Task.CLASSIFICATION, List.of("a", "b"), List.of("x", "y"), "label",
                null, null, 0, 1, null);
        LoadedData d = CsvLoader.loadWith(csv("o.csv", "x,y,label\n1,2,a\n"), old, true);
        assertArrayEquals(new float[]{1, 2}, d.x().toArray());
        Path gap = csv("g.csv", "x,y,label\n1,,a\n");
        assertEquals(gap + " line 2, column 'y': the value is empty (missing values are not supported by this model; fill or drop them first)",
                fails(() -> CsvLoader.loadWith(gap, old, true)).getMessage());
    }

    @Test
    void columnsAndIgnoreChooseFeaturesAndNameUnknownColumns() throws IOException {
        Path p = csv("c.csv", "id,a,b,c,label\n1,2,3,4,x\n5,6,7,8,y\n");
        DataOptions o = DataOptions.defaults();
        assertEquals(List.of("a", "c"), CsvLoader.loadTable(p, o.withColumns(List.of("c", "a")), null).preprocessing().featureNames());
        LoadedData ignored = CsvLoader.loadTable(p, o.withIgnore(List.of("id")), null);
        assertEquals(List.of("a", "b", "c"), ignored.preprocessing().featureNames());
        assertArrayEquals(new float[]{2, 3, 4, 6, 7, 8}, ignored.x().toArray());
        assertEquals("--columns: no column 'd' in " + p + " (columns: id, a, b, c, label)",
                fails(() -> CsvLoader.loadTable(p, o.withColumns(List.of("a", "d")), null)).getMessage());
        assertEquals("--ignore: no column 'ID' in " + p + " (columns: id, a, b, c, label)",
                fails(() -> CsvLoader.loadTable(p, o.withIgnore(List.of("ID")), null)).getMessage());
        assertEquals("--ignore: 'label' is the label column (pick another label with --label)",
                fails(() -> CsvLoader.loadTable(p, o.withIgnore(List.of("label")), null)).getMessage());
        assertTrue(fails(() -> CsvLoader.loadTable(p, o.withIgnore(List.of("id", "a", "b", "c")), null)).getMessage()
                .startsWith("--ignore: no feature columns are left in " + p));
    }

    @Test
    void semicolonAndTabDelimitersAreDetectedFromTheHeader() throws IOException {
        LoadedData semi = CsvLoader.load(csv("s.csv", "a;b;label\n1,5;2;x\n3;4;y\n"), null, false);
        assertEquals(List.of("a", "b"), semi.preprocessing().featureNames());
        // "1,5" is a text in a semicolon file (a decimal comma): a category, not two fields
        assertInstanceOf(OneHotColumn.class, semi.preprocessing().columns().features().get(0));
        LoadedData tab = CsvLoader.load(csv("t.tsv.csv", "a\tb\tlabel\n1\t2\tx\n3\t4\ty\n"), null, false);
        assertArrayEquals(new float[]{1, 2, 3, 4}, tab.x().toArray());
        // a comma inside quotes does not count
        LoadedData quoted = CsvLoader.load(csv("q.csv", "\"a,b,c\";d;label\n1;2;x\n3;4;y\n"), null, false);
        assertEquals(List.of("a,b,c", "d"), quoted.preprocessing().featureNames());
        // told, not detected: a pipe
        LoadedData pipe = CsvLoader.loadTable(csv("p.csv", "a|b|label\n1|2|x\n3|4|y\n"),
                DataOptions.defaults().withCsv(CsvFormat.DEFAULT.withDelimiter('|')), null);
        assertArrayEquals(new float[]{1, 2, 3, 4}, pipe.x().toArray());
        assertEquals('\t', CsvFormat.delimiter("\\t"));
        assertEquals('\t', CsvFormat.delimiter("tab"));
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.delimiter("ab"));
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheLineAndLatin1ReadsWithItsEncoding() throws IOException {
        byte[] utf8 = "x,label\n1,café\n2,tea\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin = "x,label\n1,tea\n2,café\n".getBytes(StandardCharsets.ISO_8859_1);
        Path u = Files.write(dir.resolve("u.csv"), utf8);
        Path l = Files.write(dir.resolve("l.csv"), latin);
        assertEquals(List.of("café", "tea"), CsvLoader.load(u, null, false).preprocessing().classes());
        DataException e = fails(() -> CsvLoader.load(l, null, false));
        assertEquals(l + " line 3: not valid UTF-8 text (byte 0xE9); if the file is in another encoding, name it"
                + " (e.g. --encoding windows-1252)", e.getMessage());
        DataOptions latin1 = DataOptions.defaults().withCsv(CsvFormat.DEFAULT.withEncoding(CsvFormat.encoding("latin-1")));
        assertEquals(List.of("café", "tea"), CsvLoader.loadTable(l, latin1, null).preprocessing().classes());
        assertEquals(StandardCharsets.ISO_8859_1, CsvFormat.encoding("latin1"));
        assertEquals("windows-1252", CsvFormat.encoding("cp1252").name());
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.encoding("klingon"));
        // a byte order mark is skipped, and a bad byte far into a big file still names its line
        StringBuilder big = new StringBuilder("\uFEFFx,label\n");
        for (int i = 0; i < 20000; i++) big.append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        byte[] head = big.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 6);
        System.arraycopy(new byte[]{'1', ',', (byte) 0xC3, (byte) 0x28, 'x', '\n'}, 0, all, head.length, 6);
        Path b = Files.write(dir.resolve("b.csv"), all);
        assertTrue(fails(() -> CsvLoader.load(b, null, false)).getMessage().startsWith(b + " line 20002: not valid UTF-8 text (byte 0xC3)"));
        assertEquals(List.of("x"), CsvLoader.load(Files.write(dir.resolve("bom.csv"), head), null, false).preprocessing().featureNames());
    }

    @Test
    void freeTextIsNotTakenForCategories() throws IOException {
        StringBuilder sb = new StringBuilder("x,review,label\n");
        for (int i = 0; i < 30; i++) sb.append(i).append(",a review number ").append(i).append(',').append(i % 2).append('\n');
        Path p = csv("r.csv", sb.toString());
        assertEquals(p + " line 2, column 'review': holds free text (e.g. 'a review number 0'), not categories; train a text"
                + " model on it with --text-column review, or leave it out with --ignore review", fails(() -> CsvLoader.load(p, null, false)).getMessage());
        assertEquals(List.of("x"), CsvLoader.loadTable(p, DataOptions.defaults().withIgnore(List.of("review")), null)
                .preprocessing().featureNames());
    }

    @Test
    void aWordAfterManyNumbersMakesAHashedColumnWithEveryCellsHash() throws IOException {
        // 30 distinct numbers, then words: the numbers' hashes come from a second reading of the file
        StringBuilder sb = new StringBuilder("code,label\n");
        for (int i = 0; i < 30; i++) sb.append(i * 7).append(',').append(i % 2).append('\n');
        sb.append("unknown,0\nother,1\n");
        Path p = csv("late.csv", sb.toString());
        LoadedData d = CsvLoader.loadRaw(p, null, Task.CLASSIFICATION);
        assertInstanceOf(HashedColumn.class, d.preprocessing().columns().features().get(0));
        assertArrayEquals(CsvLoader.loadWith(p, d.preprocessing(), true).x().toArray(), d.x().toArray());
        float[] x = d.x().toArray();
        assertEquals(1, x[HashedColumn.bucket("7".hashCode(), 32) + 32]);
        assertEquals(1, x[HashedColumn.bucket("unknown".hashCode(), 32) + 30 * 32]);
        // fewer distinct numbers before the word: their hashes come from the categories seen
        Path few = csv("few.csv", "code,label\n1,0\n2,1\n1,0\n" + "w,1\n".repeat(1) + "x1,0\nx2,1\nx3,0\nx4,1\nx5,0\nx6,1\nx7,0\n"
                + "x8,1\nx9,0\nx10,1\nx11,0\nx12,1\nx13,0\nx14,1\nx15,0\n");
        LoadedData f = CsvLoader.loadRaw(few, null, Task.CLASSIFICATION);
        assertInstanceOf(HashedColumn.class, f.preprocessing().columns().features().get(0));
        assertArrayEquals(CsvLoader.loadWith(few, f.preprocessing(), true).x().toArray(), f.x().toArray());
    }
}
