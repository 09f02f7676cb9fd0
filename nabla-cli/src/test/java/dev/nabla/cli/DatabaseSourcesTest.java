package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --data x.parquet} and {@code --data jdbc:... --query ...} through the command line: the same table kept as
 * CSV, as Parquet (written by DuckDB) and in SQLite trains the same model to the same scores, and bad sources are one
 * clear error each (exit 2).
 */
class DatabaseSourcesTest {

    @TempDir
    Path dir;

    /** Rows of {@code id, x (some null), k (integer), color (3 values, some null), label}: red or large x is yes. */
    private void fill(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER, x DOUBLE, k INTEGER, color VARCHAR, label VARCHAR)");
        }
        SplittableRandom rng = new SplittableRandom(4);
        String[] colors = {"red", "green", "blue"};
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                double x = rng.nextInt(-20, 20) / 4.0;
                String color = colors[rng.nextInt(3)];
                p.setInt(1, i);
                if (i % 9 == 0) p.setNull(2, Types.DOUBLE);
                else p.setDouble(2, x);
                p.setInt(3, rng.nextInt(50));
                if (i % 11 == 0) p.setNull(4, Types.VARCHAR);
                else p.setString(4, color);
                p.setString(5, color.equals("red") || x > 3 ? "yes" : "no");
                p.addBatch();
            }
            p.executeBatch();
        }
        c.commit();
        c.setAutoCommit(auto);
    }

    private Path duckdbCopy(String name, String format) throws SQLException {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            fill(c, 400);
            try (Statement s = c.createStatement()) {
                s.execute("COPY (SELECT * FROM t ORDER BY id) TO '" + file + "' (" + format + ")");
            }
        }
        return file;
    }

    private String sqlite() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("shop.db");
        try (Connection c = DriverManager.getConnection(url)) {
            fill(c, 400);
        }
        return url;
    }

    private static Map<String, Object> scores(Map<String, Object> json) {
        return Map.of("history", json.get("history"), "train", json.get("train_samples"), "validation", json.get("validation_samples"),
                "classes", json.get("classes"), "task", json.get("task"));
    }

    @Test
    void parquetAndSqliteTrainLikeTheSameCsv() throws Exception {
        Path csv = duckdbCopy("t.csv", "HEADER, DELIMITER ','");
        Path parquet = duckdbCopy("t.parquet", "FORMAT parquet");
        String db = sqlite();
        Object[] common = {"--ignore", "id", "--epochs", 4, "--seed", 3, "--json"};
        Map<String, Object> fromCsv = nabla(concat(new Object[]{"train", "--data", csv, "--out", dir.resolve("a.nabla")}, common)).json();
        Map<String, Object> fromParquet = nabla(concat(new Object[]{"train", "--data", parquet, "--out", dir.resolve("b.nabla")}, common)).json();
        Map<String, Object> fromSql = nabla(concat(new Object[]{"train", "--data", db, "--query", "SELECT * FROM t ORDER BY id",
                "--out", dir.resolve("c.nabla")}, common)).json();
        assertEquals(List.of("no", "yes"), fromCsv.get("classes"));
        assertEquals(360, ((Number) fromCsv.get("train_samples")).intValue());
        assertEquals(scores(fromCsv), scores(fromParquet));
        assertEquals(scores(fromCsv), scores(fromSql));
        // the model trained on SQL evaluates a Parquet file and a query alike
        Map<String, Object> onParquet = nabla("evaluate", "--model", dir.resolve("c.nabla"), "--data", parquet, "--json").json();
        Map<String, Object> onSql = nabla("evaluate", "--model", dir.resolve("c.nabla"), "--data", db, "--query", "SELECT * FROM t", "--json").json();
        assertEquals(onParquet.get("accuracy"), onSql.get("accuracy"));
        assertTrue(((Number) onSql.get("accuracy")).doubleValue() > 0.6, onSql.toString());
        nabla("predict", "--model", dir.resolve("c.nabla"), "--query", "SELECT * FROM t", csv).assertUsageError("--query", "predict");
    }

    @Test
    void badSourcesAreOneClearError() throws Exception {
        String db = sqlite();
        nabla("train", "--data", db, "--query", "SELECT * FROM nope", "--out", dir.resolve("m.nabla"))
                .assertUsageError(db, "the query failed", "no such table: nope");
        nabla("train", "--data", db, "--query", "SELEKT * FROM t", "--out", dir.resolve("m.nabla"))
                .assertUsageError(db, "the query failed", "SELEKT");
        nabla("train", "--data", db, "--query", "SELECT * FROM t", "--columns", "x,price", "--out", dir.resolve("m.nabla"))
                .assertUsageError("price");
        nabla("train", "--data", db, "--query", "SELECT * FROM t", "--label", "price", "--out", dir.resolve("m.nabla"))
                .assertUsageError(db, "no label column 'price'");
        nabla("train", "--data", db, "--query", "SELECT * FROM t", "--task", "regression", "--out", dir.resolve("m.nabla"))
                .assertUsageError(db, "'label'");
        nabla("train", "--data", db, "--out", dir.resolve("m.nabla")).assertUsageError("--query");
        nabla("train", "--data", "jdbc:nosuch:x", "--query", "SELECT 1", "--out", dir.resolve("m.nabla"))
                .assertUsageError("jdbc:nosuch:x", "no JDBC driver");
        Path parquet = duckdbCopy("t.parquet", "FORMAT parquet");
        nabla("train", "--data", parquet, "--query", "SELECT 1", "--out", dir.resolve("m.nabla")).assertUsageError("--query", "t.parquet");
        byte[] b = Files.readAllBytes(parquet);
        Path cut = Files.write(dir.resolve("cut.parquet"), java.util.Arrays.copyOf(b, b.length / 2));
        nabla("train", "--data", cut, "--out", dir.resolve("m.nabla")).assertUsageError(cut.toString(), "not a valid Parquet file");
        assertFalse(Files.exists(dir.resolve("m.nabla")), "nothing written");
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
