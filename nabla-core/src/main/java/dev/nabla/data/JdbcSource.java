package dev.nabla.data;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a SQL query through JDBC: any driver on the classpath that takes the URL ({@link DriverManager}, which
 * finds drivers by their service registration; no class is loaded by a name in the data). The result is read forward
 * only, a fetch size at a time, so memory is bounded by the fetch, not the result. Numbers are numbers, other values
 * are categories (their text), SQL nulls are missing cells. The query runs once per pass: give it an
 * {@code ORDER BY} where the database does not keep an order, so that every pass sees the rows alike.
 *
 * @param url   a JDBC URL ({@code jdbc:sqlite:data.db}, {@code jdbc:postgresql://host/db?user=...})
 * @param query the {@code SELECT} whose rows are the table
 */
public record JdbcSource(String url, String query) implements TableSource {

    /** Rows fetched from the database at a time. */
    static final int FETCH_SIZE = 1024;

    public JdbcSource {
        if (url == null || !accepts(url)) throw new IllegalArgumentException("a JDBC URL starts with 'jdbc:'");
        if (query == null || query.isBlank()) throw new IllegalArgumentException("a query is needed for " + url);
    }

    /** Whether {@code data} is a JDBC URL. */
    public static boolean accepts(String data) {
        return data.regionMatches(true, 0, "jdbc:", 0, 5);
    }

    /** The URL with any password left out. */
    @Override
    public String name() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    @Override
    public TableRows open() throws IOException {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new DataException(name() + ": no JDBC driver on the classpath takes this URL (SQLite's is built in;"
                        + " put the database's driver jar on the classpath)");
            }
            throw new DataException(name() + ": cannot connect (" + message(e) + ")");
        }
        try {
            try {
                // PostgreSQL and others only stream a result (fetch size) outside auto-commit
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
            } catch (SQLException e) {
                // a driver that cannot: the result is still read forward only
            }
            Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_SIZE);
            ResultSet rs = statement.executeQuery(query);
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) names.add(meta.getColumnLabel(c));
            return new Rows(connection, rs, TableRows.checkHeader(names, name(), " (query: " + clip(query) + ")"));
        } catch (SQLException e) {
            close(connection);
            throw new DataException(name() + ": the query failed (" + message(e) + "; query: " + clip(query) + ")");
        } catch (IOException | RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the error that got us here is the one to report
        }
    }

    static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        m = m.replace('\n', ' ');
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }

    private static String clip(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 120 ? one.substring(0, 117) + "..." : one;
    }

    private final class Rows implements TableRows {
        private final Connection connection;
        private final ResultSet rs;
        private final List<String> header;
        private int row;

        Rows(Connection connection, ResultSet rs, List<String> header) {
            this.connection = connection;
            this.rs = rs;
            this.header = header;
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public boolean next(List<String> fields) throws IOException {
            try {
                if (!rs.next()) return false;
                row++;
                fields.clear();
                for (int c = 1; c <= header.size(); c++) fields.add(cell(rs.getObject(c)));
                return true;
            } catch (SQLException e) {
                throw new DataException(name() + " row " + (row + 1) + ": " + message(e));
            }
        }

        private static String cell(Object v) {
            if (v == null) return "";
            if (v instanceof BigDecimal d) return d.toPlainString();
            if (v instanceof byte[]) return "<binary>";
            return v.toString();
        }

        @Override
        public int recordLine() {
            return row;
        }

        @Override
        public void close() throws IOException {
            try {
                rs.close();
                connection.close();
            } catch (SQLException e) {
                throw new IOException(name() + ": " + message(e), e);
            }
        }
    }
}
