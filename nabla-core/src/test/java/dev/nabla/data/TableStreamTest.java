package dev.nabla.data;

import dev.nabla.dataset.Batch;
import dev.nabla.dataset.DataLoader;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streamed table gives what the same training rows give loaded whole: the same encoders (medians, categories,
 * hash buckets), the same statistics, the same batches bit for bit, and, unshuffled, the same trained weights.
 */
class TableStreamTest {

    @TempDir
    Path dir;

    private static final DataOptions OPTIONS = DataOptions.defaults().withLabelColumn("label").withIgnore(List.of("id"));

    /** Numbers with missing cells, negative zeros and duplicates; a one-hot column; a hashed one; a text or numeric label. */
    static Path csv(Path file, int rows, long seed, boolean regression) throws IOException {
        return csv(file, rows, seed, regression, true);
    }

    /** {@code missing} false: no missing numbers (the medians' last reading is also the statistics' first). */
    static Path csv(Path file, int rows, long seed, boolean regression, boolean missing) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("id,a,n,color,city,label\n");
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            String a = rng.nextInt(7) == 0 && missing ? (rng.nextBoolean() ? "" : "NA")
                    : rng.nextInt(9) == 0 ? "-0.0" : String.format(Locale.ROOT, "%.4f", rng.nextGaussian() * 3);
            int n = rng.nextInt(20) - 5;
            String color = rng.nextInt(10) == 0 ? "" : colors[rng.nextInt(3)];
            String city = "c" + rng.nextInt(40);
            String label = regression ? String.format(Locale.ROOT, "%.3f", 2 * n + rng.nextGaussian())
                    : (n > 4 ? "yes" : "no");
            b.append(i).append(',').append(a).append(',').append(n).append(',').append(color).append(',').append(city)
                    .append(',').append(label).append('\n');
        }
        Files.writeString(file, b);
        return file;
    }

    /** The training rows loaded whole, in file order, with statistics fitted on them. */
    private static LoadedData inMemory(TableSource source, double split) throws IOException {
        StreamSplit rule = new StreamSplit(split);
        int[][] rows = new int[1][];
        LoadedData all = TableLoader.load(source, OPTIONS, n -> rows[0] = rule.trainingRows(n));
        LoadedData train = Split.select(all, rows[0]);
        return new LoadedData(train.x(), train.y(), Standardizer.statistics(train, true));
    }

    private static void assertSamePreprocessing(Preprocessing expected, Preprocessing actual) {
        assertEquals(expected.tableColumns().toMap(), actual.tableColumns().toMap());
        assertEquals(expected.classes(), actual.classes());
        assertEquals(expected.task(), actual.task());
        assertEquals(expected.taskReason(), actual.taskReason());
        assertArrayEquals(expected.featureMean(), actual.featureMean());
        assertArrayEquals(expected.featureStd(), actual.featureStd());
        assertEquals(Double.doubleToRawLongBits(expected.targetMean()), Double.doubleToRawLongBits(actual.targetMean()));
        assertEquals(Double.doubleToRawLongBits(expected.targetStd()), Double.doubleToRawLongBits(actual.targetStd()));
    }

    private static void assertSameBatches(LoadedData expected, StreamDataset stream, int batch) throws IOException {
        DataLoader.Options o = DataLoader.Options.of(batch).shuffle(false).workers(2);
        int batches = 0;
        try (DataLoader a = DataLoader.of(new TensorDataset(expected.x(), expected.y()), o); DataLoader b = DataLoader.of(stream, o);
             DataLoader.Batches ea = a.epoch(1); DataLoader.Batches eb = b.epoch(1)) {
            for (Batch x = ea.next(), y = eb.next(); x != null || y != null; x = ea.next(), y = eb.next()) {
                assertNotNull(x);
                assertNotNull(y, "the stream ended early");
                assertArrayEquals(x.input().shape(), y.input().shape());
                assertArrayEquals(x.input().toArray(), y.input().toArray(), "batch " + batches);
                assertArrayEquals(x.targets().shape(), y.targets().shape());
                assertArrayEquals(x.targets().toArray(), y.targets().toArray(), "batch " + batches);
                batches++;
            }
        }
        assertEquals((expected.size() + batch - 1) / batch, batches);
    }

    @Test
    void csvStreamsAsTheSameRowsLoadWhole() throws Exception {
        for (boolean regression : new boolean[]{false, true}) {
            CsvSource source = new CsvSource(csv(dir.resolve("t" + regression + ".csv"), 501, 5, regression), CsvFormat.DEFAULT);
            TableStream t = TableStream.fit(source, OPTIONS, 0.2);
            LoadedData whole = inMemory(source, 0.2);
            assertEquals(501, t.rows());
            assertEquals(401, t.train().size());
            assertEquals(100, t.validation().size());
            assertEquals(401, whole.size());
            assertSamePreprocessing(whole.preprocessing(), t.preprocessing());
            // a: median, missing flag; n; three colours; 32 city buckets
            assertEquals(2 + 1 + 3 + TableColumns.HASH_BUCKETS, t.preprocessing().tableColumns().width());
            assertEquals(regression ? Task.REGRESSION : Task.CLASSIFICATION, t.preprocessing().task());
            assertSameBatches(whole, t.train(), 32);
        }
        CsvSource full = new CsvSource(csv(dir.resolve("full.csv"), 333, 6, true, false), CsvFormat.DEFAULT);
        TableStream t = TableStream.fit(full, OPTIONS, 0.3);
        LoadedData whole = inMemory(full, 0.3);
        assertEquals(234, whole.size());
        assertSamePreprocessing(whole.preprocessing(), t.preprocessing());
        assertEquals(1, t.preprocessing().tableColumns().features().get(0).width(), "no missing indicator");
        assertSameBatches(whole, t.train(), 25);
    }

    @Test
    void theMedianIsExactOnAHandMadeTable() throws Exception {
        // training rows (row 4 of 5 is held out at 0.2): a = 5, missing, -1, 2 -> median of {-1, 2, 5} = 2
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "a,label\n5,x\n,y\n-1,x\n2,y\n100,x\n");
        TableStream t = TableStream.fit(new CsvSource(file, CsvFormat.DEFAULT), DataOptions.defaults(), 0.2);
        NumericColumn a = (NumericColumn) t.preprocessing().tableColumns().features().get(0);
        assertEquals(2.0, a.median());
        assertTrue(a.indicator());
        // features [a, a_missing] of the training rows: (5,0) (2,1) (-1,0) (2,0): mean 2, 0.25
        assertEquals(2f, t.preprocessing().featureMean()[0]);
        assertEquals(0.25f, t.preprocessing().featureMean()[1]);
        assertEquals((float) Math.sqrt(4.5), t.preprocessing().featureStd()[0]);
    }

    @Test
    void parquetAndSqliteStreamAsTheyLoad() throws Exception {
        int rows = 700;
        Path parquet = TableDatabases.parquet(dir, "t.parquet", rows, 3, "snappy", 128);
        String sqlite = TableDatabases.sqlite(dir, "t.db", rows, 3);
        for (TableSource source : List.of(new ParquetSource(parquet), new JdbcSource(sqlite, "SELECT * FROM t ORDER BY id"))) {
            TableStream t = TableStream.fit(source, OPTIONS, 0.1);
            LoadedData whole = inMemory(source, 0.1);
            assertEquals(630, whole.size());
            assertSamePreprocessing(whole.preprocessing(), t.preprocessing());
            assertSameBatches(whole, t.train(), 50);
            assertSameBatches(Split.select(TableLoader.load(source, OPTIONS, n -> new StreamSplit(0.1).trainingRows(n)),
                    heldOut(rows, 0.1)), t.validation(), 64);
        }
    }

    private static int[] heldOut(int n, double split) {
        StreamSplit s = new StreamSplit(split);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) if (s.validation(i)) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void unshuffledTrainingOnTheStreamGivesTheSameWeights() throws Exception {
        CsvSource source = new CsvSource(csv(dir.resolve("w.csv"), 300, 9, false), CsvFormat.DEFAULT);
        TableStream t = TableStream.fit(source, OPTIONS, 0.25);
        LoadedData whole = inMemory(source, 0.25);
        float[] a = train(m -> m.fit(whole.x(), whole.y(), options()));
        float[] b = train(m -> m.fit(t.train(), options()));
        assertArrayEquals(a, b);
        float[] start = train(m -> { });
        double moved = 0;
        for (int i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - start[i]));
        assertTrue(moved > 1e-3, "the weights moved: " + moved);
    }

    private static FitOptions options() {
        return new FitOptions().epochs(3).batchSize(16).seed(1).shuffle(false);
    }

    private float[] train(java.util.function.Consumer<Model> fit) {
        Sequential net = new Sequential(new Dense(8, Activation.RELU), new Dense(2)).seed(4);
        net.build(38);
        Model m = new Model(net);
        m.compile(p -> new Sgd(p, 0.05f), new SparseCategoricalCrossEntropy(), new Accuracy());
        fit.accept(m);
        List<Float> out = new ArrayList<>();
        for (Tensor p : m.network().parameters()) for (float v : p.toArray()) out.add(v);
        float[] w = new float[out.size()];
        for (int i = 0; i < w.length; i++) w[i] = out.get(i);
        return w;
    }

    @Test
    void aRowThatTurnsMalformedInALaterEpochNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        TableStream t = TableStream.fit(new CsvSource(file, CsvFormat.DEFAULT), DataOptions.defaults(), 0);
        // the same size and modification time: only reading the rows finds it
        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, "a,b,label\n1,2,x\n3,4,y\n5,q,x\n7,8,y\n");
        Files.setLastModifiedTime(file, time);
        DataException e = assertThrows(DataException.class, () -> epoch(t.train()));
        assertEquals(file + " line 4, column 'b': 'q' is not a number", e.getMessage());

        Files.writeString(file, "a,b,label\n1,2,x\n3,4,y\n5,678\n7,8,y\n");
        Files.setLastModifiedTime(file, time);
        e = assertThrows(DataException.class, () -> epoch(t.train()));
        assertEquals(file + " line 4: 2 values, but the header has 3 columns", e.getMessage());

        Files.writeString(file, "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        e = assertThrows(DataException.class, () -> epoch(t.train()));
        assertTrue(e.getMessage().startsWith(file + ": changed since it was first read ("), e.getMessage());

    }

    @Test
    void fewerRowsOnALaterReadingIsAnError() throws Exception {
        // a database's rows are counted: the query's result changed between readings
        Path db = dir.resolve("s.db");
        String url = "jdbc:sqlite:" + db;
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("CREATE TABLE t(a REAL, label TEXT)");
            s.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'x'), (4, 'y')");
        }
        TableStream t = TableStream.fit(new JdbcSource(url, "SELECT * FROM t"), DataOptions.defaults(), 0);
        assertEquals(4, t.rows());
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("DELETE FROM t WHERE a = 4");
        }
        DataException e = assertThrows(DataException.class, () -> epoch(t.train()));
        assertTrue(e.getMessage().contains("changed since it was first read: fewer (3) rows than the 4 it had then"), e.getMessage());
    }

    private static int epoch(StreamDataset s) throws IOException {
        int n = 0;
        try (DataLoader l = DataLoader.of(s, DataLoader.Options.of(2).shuffle(false).workers(1)); DataLoader.Batches b = l.epoch(1)) {
            for (Batch x = b.next(); x != null; x = b.next()) n += x.samples();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return n;
    }
}
