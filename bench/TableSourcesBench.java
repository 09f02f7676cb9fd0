import dev.nabla.data.CsvFormat;
import dev.nabla.data.CsvSource;
import dev.nabla.data.DataOptions;
import dev.nabla.data.JdbcSource;
import dev.nabla.data.LoadedData;
import dev.nabla.data.ParquetSource;
import dev.nabla.data.TableLoader;
import dev.nabla.data.TableSource;
import dev.nabla.data.TableStream;
import dev.nabla.dataset.StreamDataset;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rows/s of TableLoader.load (in memory) and of TableStream (its statistics readings; one epoch's reading, parsed and
 * encoded) over one table kept as CSV, Parquet (Snappy, written by DuckDB) and SQLite (bench/table-sources).
 * Rounds alternate the sources; the figure is CPU time of the loading thread (the machine is shared), wall time beside.
 */
public class TableSourcesBench {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("nabla-table-bench");
        Path csv = dir.resolve("t.csv");
        Path parquet = dir.resolve("t.parquet");
        String select = "SELECT i AS id, (i * 7919 % 1000) / 8.0 AS a, (i * 104729 % 977) / 4.0 AS b, (i % 13) * 1.5 AS c,"
                + " CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 31 % 101) / 2.0 END AS d, (i * 13 % 50)::INTEGER AS e,"
                + " 'k' || (i % 7) AS color, 'city' || (i * 37 % 200) AS city, CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END AS label"
                + " FROM range(" + rows + ") t(i)";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t AS " + select);
            s.execute("COPY t TO '" + csv + "' (HEADER, DELIMITER ',')");
            s.execute("COPY t TO '" + parquet + "' (FORMAT parquet, COMPRESSION 'snappy')");
            String url = "jdbc:sqlite:" + dir.resolve("t.db");
            try (Connection q = DriverManager.getConnection(url)) {
                q.createStatement().execute("CREATE TABLE t(id INTEGER, a REAL, b REAL, c REAL, d REAL, e INTEGER, color TEXT, city TEXT, label TEXT)");
                q.setAutoCommit(false);
                try (PreparedStatement p = q.prepareStatement("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?)");
                     ResultSet r = s.executeQuery("SELECT * FROM t ORDER BY id")) {
                    while (r.next()) {
                        for (int k = 1; k <= 9; k++) p.setObject(k, r.getObject(k));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                q.commit();
            }
        }
        Map<String, TableSource> sources = new LinkedHashMap<>();
        sources.put("csv", new CsvSource(csv, CsvFormat.DEFAULT));
        sources.put("parquet", new ParquetSource(parquet));
        sources.put("sqlite", new JdbcSource("jdbc:sqlite:" + dir.resolve("t.db"), "SELECT * FROM t ORDER BY id"));
        DataOptions options = DataOptions.defaults().withLabelColumn("label").withIgnore(java.util.List.of("id"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, double[]> best = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (var e : sources.entrySet()) {
                long cpu = mx.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                LoadedData d = TableLoader.load(e.getValue(), options, null);
                double cpuS = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
                double wallS = (System.nanoTime() - wall) / 1e9;
                if (d.size() != rows) throw new IllegalStateException(e.getKey() + ": " + d.size() + " rows");
                d = null;
                // streamed: the statistics readings, then one epoch's reading of the rows (parsed and encoded)
                long cpuFit = mx.getCurrentThreadCpuTime();
                TableStream t = TableStream.fit(e.getValue(), options, 0);
                double fitS = (mx.getCurrentThreadCpuTime() - cpuFit) / 1e9;
                long cpuPass = mx.getCurrentThreadCpuTime();
                long n = 0;
                try (StreamDataset.Records r = t.train().open()) {
                    for (StreamDataset.Record x = r.next(); x != null; x = r.next()) {
                        x.decode();
                        n++;
                    }
                }
                double passS = (mx.getCurrentThreadCpuTime() - cpuPass) / 1e9;
                if (n != rows) throw new IllegalStateException(e.getKey() + " streamed: " + n + " rows");
                if (round == 0) continue; // warm-up
                double[] b = best.computeIfAbsent(e.getKey(), k -> new double[]{Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE});
                b[0] = Math.min(b[0], cpuS);
                b[1] = Math.min(b[1], wallS);
                b[2] = Math.min(b[2], fitS);
                b[3] = Math.min(b[3], passS);
            }
        }
        System.out.printf(Locale.ROOT, "%,d rows x 8 columns (5 doubles, 1 int, 2 strings: one-hot and hashed), best of %d%n", rows, rounds);
        for (var e : best.entrySet()) {
            System.out.printf(Locale.ROOT, "%-8s in memory %,10.0f rows/s CPU (%.2f s), %,10.0f rows/s wall (%.2f s)   streamed:"
                            + " statistics %,10.0f rows/s CPU (%.2f s), an epoch's reading %,10.0f rows/s CPU (%.2f s)%n", e.getKey(),
                    rows / e.getValue()[0], e.getValue()[0], rows / e.getValue()[1], e.getValue()[1],
                    rows / e.getValue()[2], e.getValue()[2], rows / e.getValue()[3], e.getValue()[3]);
        }
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.delete(dir);
    }
}
