package dev.nabla.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One seeded table written through real databases' drivers: into DuckDB, which writes it as Parquet (any codec) and
 * CSV, and into a SQLite file. Columns: {@code id} integer, {@code a} double with nulls, {@code n} integer,
 * {@code color} 3 strings with nulls (one-hot), {@code city} 40 strings (hashed), {@code label} yes/no.
 */
final class TableDatabases {

    static final String COLUMNS = "id INTEGER, a DOUBLE, n INTEGER, color VARCHAR, city VARCHAR, label VARCHAR";

    private TableDatabases() {
    }

    /** The table's rows in a DuckDB connection (in memory), as table {@code t}. */
    static Connection duckdb(int rows, long seed) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(" + COLUMNS + ")");
        }
        insert(c, rows, seed);
        return c;
    }

    /** The table written as Parquet with {@code codec} (snappy, zstd, gzip, lz4_raw, uncompressed). */
    static Path parquet(Path dir, String name, int rows, long seed, String codec, int rowGroup) throws SQLException {
        Path file = dir.resolve(name);
        try (Connection c = duckdb(rows, seed); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM t ORDER BY id) TO '" + file + "' (FORMAT parquet, COMPRESSION '" + codec
                    + "', ROW_GROUP_SIZE " + rowGroup + ")");
        }
        return file;
    }

    /** The table written as CSV by DuckDB (nulls as empty cells). */
    static Path csv(Path dir, String name, int rows, long seed) throws SQLException {
        Path file = dir.resolve(name);
        try (Connection c = duckdb(rows, seed); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM t ORDER BY id) TO '" + file + "' (HEADER, DELIMITER ',')");
        }
        return file;
    }

    /** The table in a SQLite file, as table {@code t}; its JDBC URL. */
    static String sqlite(Path dir, String name, int rows, long seed) throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(name);
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t(id INTEGER, a REAL, n INTEGER, color TEXT, city TEXT, label TEXT)");
            }
            insert(c, rows, seed);
        }
        return url;
    }

    private static void insert(Connection c, int rows, long seed) throws SQLException {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> colors = List.of("red", "green", "blue");
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setInt(1, i);
                // quarters: exact in float and double, so every source gives the same number
                if (rng.nextInt(6) == 0) p.setNull(2, Types.DOUBLE);
                else p.setDouble(2, rng.nextInt(-40, 40) / 4.0);
                p.setInt(3, rng.nextInt(100));
                String color = colors.get(rng.nextInt(3));
                if (rng.nextInt(8) == 0) p.setNull(4, Types.VARCHAR);
                else p.setString(4, color);
                p.setString(5, String.format(Locale.ROOT, "city%02d", rng.nextInt(40)));
                p.setString(6, color.equals("red") || rng.nextInt(10) == 0 ? "yes" : "no");
                p.addBatch();
            }
            p.executeBatch();
        }
        c.commit();
        c.setAutoCommit(auto);
    }
}
