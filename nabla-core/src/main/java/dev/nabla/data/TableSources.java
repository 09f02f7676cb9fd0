package dev.nabla.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The kinds of table a {@code --data} argument can name, tried in order: a JDBC URL with a query, a Parquet file, a
 * CSV file. A new kind is one {@link TableSource} class and one entry in {@link #KINDS}.
 */
public final class TableSources {

    /** One kind of table: whether it takes a {@code --data} argument, and the source it gives for it. */
    public interface Kind {
        boolean accepts(String data);

        TableSource open(String data, String query, CsvFormat csv);
    }

    private static final List<Kind> KINDS = List.of(
            kind(JdbcSource::accepts, (data, query, csv) -> {
                if (query == null || query.isBlank()) {
                    throw new IllegalArgumentException(data + ": a JDBC URL needs the SELECT whose rows to read (--query 'SELECT ...')");
                }
                return new JdbcSource(data, query);
            }),
            kind(data -> ParquetSource.accepts(Path.of(data)), (data, query, csv) -> new ParquetSource(Path.of(data))),
            kind(data -> data.toLowerCase(java.util.Locale.ROOT).endsWith(".csv"), (data, query, csv) -> new CsvSource(Path.of(data), csv)));

    private TableSources() {
    }

    private interface Opener {
        TableSource open(String data, String query, CsvFormat csv);
    }

    private static Kind kind(java.util.function.Predicate<String> accepts, Opener opener) {
        return new Kind() {
            @Override
            public boolean accepts(String data) {
                return accepts.test(data);
            }

            @Override
            public TableSource open(String data, String query, CsvFormat csv) {
                return opener.open(data, query, csv);
            }
        };
    }

    /** Whether {@code data} names a table some kind reads. */
    public static boolean isTable(String data) {
        return KINDS.stream().anyMatch(k -> k.accepts(data));
    }

    /** Whether {@code data} names a table that is not a file (a database). */
    public static boolean isDatabase(String data) {
        return JdbcSource.accepts(data);
    }

    /**
     * The source {@code data} names ({@code query}: the SQL for a JDBC URL, else unused and null); an
     * IllegalArgumentException when it names none, or a JDBC URL without a query.
     */
    public static TableSource of(String data, String query, CsvFormat csv) {
        for (Kind k : KINDS) if (k.accepts(data)) return k.open(data, query, csv);
        throw new IllegalArgumentException(data + ": not a table (expected a .csv or .parquet file, or a jdbc: URL)");
    }
}
