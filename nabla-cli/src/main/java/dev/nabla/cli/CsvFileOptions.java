package dev.nabla.cli;

import dev.nabla.data.CsvFormat;
import dev.nabla.data.JdbcSource;
import dev.nabla.data.TableSource;
import dev.nabla.data.TableSources;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --encoding} and {@code --delimiter}: how a CSV file's bytes are read, for train, evaluate and predict. A
 * property of each file, so nothing of it is saved in the model.
 */
final class CsvFileOptions {

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "Text encoding of CSV files: utf-8 (default; bytes that are not UTF-8 are an error naming the line),"
                    + " latin-1, windows-1252, ... A byte order mark is skipped.")
    String encoding;

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "CSV field separator: one character, or \\t (tab) (default: comma, semicolon or tab, whichever the"
                    + " header line has most of).")
    String delimiter;

    @Option(names = "--query", paramLabel = "SQL",
            description = "With --data jdbc:URL: the SELECT whose rows are the table (e.g. --data jdbc:sqlite:shop.db"
                    + " --query 'SELECT * FROM sales ORDER BY id'); any JDBC driver on the classpath, SQLite's built in.")
    String query;

    /**
     * The table {@code data} names (a CSV or Parquet file, or with {@code --query} a JDBC URL); a UsageException for
     * a JDBC URL without {@code --query}, or {@code --query} with a file.
     */
    TableSource source(Path data) {
        String d = data.toString();
        if (query != null && !TableSources.isDatabase(d)) {
            throw new UsageException("--query: only with a database (--data 'jdbc:...'), but " + Printable.of(d) + " is a file");
        }
        if (query == null && TableSources.isDatabase(d)) {
            throw new UsageException("--data " + Printable.of(new JdbcSource(d, "-").name())
                    + ": a database needs the SELECT whose rows to read (--query 'SELECT ...')");
        }
        try {
            return TableSources.of(d, query, format());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--data: " + Printable.of(e.getMessage()));
        }
    }

    /** The format the flags give; a bad value is a {@link UsageException} naming the flag. */
    CsvFormat format() {
        CsvFormat f = CsvFormat.DEFAULT;
        if (encoding != null) {
            try {
                f = f.withEncoding(CsvFormat.encoding(encoding));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--encoding: " + Printable.of(e.getMessage()));
            }
        }
        if (delimiter != null) {
            try {
                f = f.withDelimiter(CsvFormat.delimiter(delimiter));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--delimiter: " + Printable.of(e.getMessage()));
            }
        }
        return f;
    }

    /** The first of these flags given (for "only for CSV files" messages), or null. */
    String anyFlag() {
        return encoding != null ? "--encoding" : delimiter != null ? "--delimiter" : null;
    }
}
