package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parquet files and SQL queries read through real drivers (DuckDB writes the Parquet files, SQLite holds a table)
 * give exactly what the same table as CSV gives: the same encoders, inputs and labels.
 */
class TableSourcesTest {

    @TempDir
    Path dir;

    private static final DataOptions OPTIONS = DataOptions.defaults().withLabelColumn("label").withIgnore(List.of("id"));

    @Test
    void parquetAndSqlGiveWhatCsvGives() throws Exception {
        int rows = 700;
        LoadedData csv = TableLoader.load(new CsvSource(TableDatabases.csv(dir, "t.csv", rows, 3), CsvFormat.DEFAULT), OPTIONS, null);
        assertEquals(rows, csv.size());
        // one-hot colours (3 and the missing indicator is not one: nulls take the most frequent), a median and its
        // missing flag, n, 32 hashed cities
        List<String> names = csv.preprocessing().tableColumns().inputNames();
        assertEquals(List.of("a", "a_missing", "n", "color=blue", "color=green", "color=red"), names.subList(0, 6));
        assertEquals(6 + TableColumns.HASH_BUCKETS, names.size());
        for (String codec : List.of("snappy", "zstd", "gzip", "uncompressed", "lz4_raw")) {
            Path parquet = TableDatabases.parquet(dir, codec + ".parquet", rows, 3, codec, 128);
            assertSame(csv, TableLoader.load(new ParquetSource(parquet), OPTIONS, null), codec);
        }
        String sqlite = TableDatabases.sqlite(dir, "t.db", rows, 3);
        assertSame(csv, TableLoader.load(new JdbcSource(sqlite, "SELECT * FROM t ORDER BY id"), OPTIONS, null), "sqlite");
        // the training part's encoders, as a split fits them
        int[] part = Split.indices(rows, 0.25, 7)[0];
        LoadedData csvPart = TableLoader.load(new CsvSource(dir.resolve("t.csv"), CsvFormat.DEFAULT), OPTIONS, n -> part);
        assertSame(csvPart, TableLoader.load(new ParquetSource(dir.resolve("snappy.parquet")), OPTIONS, n -> part), "split");
    }

    private static void assertSame(LoadedData expected, LoadedData actual, String what) {
        assertEquals(expected.preprocessing().tableColumns().toMap(), actual.preprocessing().tableColumns().toMap(), what);
        assertEquals(expected.preprocessing().classes(), actual.preprocessing().classes(), what);
        assertArrayEquals(expected.x().shape(), actual.x().shape(), what);
        assertArrayEquals(expected.x().toArray(), actual.x().toArray(), what);
        assertArrayEquals(expected.y().toArray(), actual.y().toArray(), what);
    }

    /** Column types by hand: ints and doubles as numbers, strings one-hot, nulls imputed (median, most frequent). */
    @Test
    void columnTypesAndNullsByHand() throws Exception {
        Path file = dir.resolve("small.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(i INTEGER, d DOUBLE, b BIGINT, s VARCHAR, y VARCHAR)");
            s.execute("INSERT INTO t VALUES (1, 0.5, 10000000000, 'red', 'a'), (NULL, 1.5, 2, 'blue', 'b'),"
                    + " (3, NULL, 3, NULL, 'a'), (10, 2.5, 4, 'red', 'b')");
            s.execute("COPY (SELECT * FROM t) TO '" + file + "' (FORMAT parquet)");
        }
        LoadedData d = TableLoader.load(new ParquetSource(file), DataOptions.defaults().withLabelColumn("y"), null);
        assertEquals(List.of("i", "i_missing", "d", "d_missing", "b", "s=blue", "s=red"), d.preprocessing().tableColumns().inputNames());
        float[] x = d.x().toArray();
        // row 2: i missing -> median of 1, 3, 10 = 3 with its flag; row 3: d missing -> median of 0.5, 1.5, 2.5 = 1.5,
        // s missing -> the most frequent, red
        assertArrayEquals(new float[]{
                1, 0, 0.5f, 0, 1e10f, 0, 1,
                3, 1, 1.5f, 0, 2, 1, 0,
                3, 0, 1.5f, 1, 3, 0, 1,
                10, 0, 2.5f, 0, 4, 0, 1}, x);
        assertArrayEquals(new float[]{0, 1, 0, 1}, d.y().toArray());
        assertEquals(List.of("a", "b"), d.preprocessing().classes());
    }

    /** Parquet's typed cells as CSV would spell them: decimals scaled, unsigned integers unsigned, dates as dates. */
    @Test
    void parquetCellsAsText() throws Exception {
        Path file = dir.resolve("types.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 12.345::DECIMAL(18,3) AS d18, -1.5::DECIMAL(4,1) AS d4, 123456789012345678901.5::DECIMAL(30,1) AS d30,"
                    + " 4000000000::UINTEGER AS u32, -7::TINYINT AS i8, DATE '2024-01-02' AS day, true AS flag, 0.25::FLOAT AS f,"
                    + " NULL::VARCHAR AS s) TO '" + file + "' (FORMAT parquet)");
        }
        try (TableRows rows = new ParquetSource(file).open()) {
            java.util.ArrayList<String> cells = new java.util.ArrayList<>();
            assertTrue(rows.next(cells));
            assertEquals(List.of("d18", "d4", "d30", "u32", "i8", "day", "flag", "f", "s"), rows.header());
            assertEquals(List.of("12.345", "-1.5", "123456789012345678901.5", "4000000000", "-7", "2024-01-02", "true", "0.25", ""), cells);
            assertFalse(rows.next(cells));
        }
    }

    @Test
    void badQueriesAndColumnsNameTheSource() throws Exception {
        String url = TableDatabases.sqlite(dir, "t.db", 20, 1);
        DataException e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource(url, "SELECT * FROM nope"), OPTIONS, null));
        assertTrue(e.getMessage().startsWith(url + ": the query failed (") && e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource(url, "SELEC * FROM t"), OPTIONS, null));
        assertTrue(e.getMessage().contains("the query failed") && e.getMessage().contains("SELEC * FROM t"), e.getMessage());
        e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource(url, "SELECT * FROM t"),
                OPTIONS.withLabelColumn("price"), null));
        assertEquals(url + ": no label column 'price' (columns: id, a, n, color, city, label)", e.getMessage());
        e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource("jdbc:nosuchdb:x", "SELECT 1"), OPTIONS, null));
        assertTrue(e.getMessage().startsWith("jdbc:nosuchdb:x: no JDBC driver on the classpath"), e.getMessage());
        e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource(url, "SELECT * FROM t ORDER BY id"),
                OPTIONS.withTask(Task.REGRESSION), null));
        assertTrue(e.getMessage().contains("'label'"), e.getMessage());
        e = assertThrows(DataException.class, () -> TableLoader.load(new JdbcSource(url + "?password=secret", "SELECT nope FROM t"), OPTIONS, null));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void notAParquetFile() throws IOException {
        Path file = Files.writeString(dir.resolve("x.parquet"), "id,label\n1,a\n");
        DataException e = assertThrows(DataException.class, () -> TableLoader.load(new ParquetSource(file), OPTIONS, null));
        assertTrue(e.getMessage().startsWith(file + ": not a valid Parquet file ("), e.getMessage());
        assertEquals("table", DataSources.detect(file));
        assertEquals("table", DataSources.detect(Path.of("jdbc:sqlite:whatever.db")));
    }

    @Test
    void registryPicksTheSource() {
        assertInstanceOf(JdbcSource.class, TableSources.of("jdbc:sqlite:x.db", "SELECT 1", CsvFormat.DEFAULT));
        assertInstanceOf(ParquetSource.class, TableSources.of("a/b.PARQUET", null, CsvFormat.DEFAULT));
        assertInstanceOf(CsvSource.class, TableSources.of("a/b.csv", null, CsvFormat.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> TableSources.of("jdbc:sqlite:x.db", null, CsvFormat.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> TableSources.of("a/b.txt", null, CsvFormat.DEFAULT));
        assertEquals("jdbc:pg://h/db?user=u&password=***", new JdbcSource("jdbc:pg://h/db?user=u&password=pw", "SELECT 1").name());
    }
}
