package dev.nabla.data;

import java.io.IOException;

/**
 * A table that can be read front to back any number of times (the first pass fits the column encoders, later ones
 * encode the rows): a CSV file ({@link CsvSource}), a Parquet file ({@link ParquetSource}) or a SQL query through
 * JDBC ({@link JdbcSource}). {@link TableSources#of} picks one for a {@code --data} argument.
 */
public interface TableSource {

    /** The source in messages: the file, or the JDBC URL (without a password). */
    String name();

    /** A new pass over the rows, from the first. */
    TableRows open() throws IOException;

    /**
     * What identifies this state of the source, compared before each reading of a streamed table (a file's size and
     * modification time), or null when nothing cheap does (a query: its rows are counted instead).
     */
    default String version() {
        return null;
    }

    /**
     * About how many data rows the source holds, cheaply (without reading them all), or -1 when that is not known
     * before reading (a query): what the command line weighs against the heap to choose streaming.
     */
    default long estimatedRows() throws IOException {
        return -1;
    }

    /** A file's size and modification time, as {@link #version} gives them (null when it cannot be read). */
    static String fileVersion(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.size(file) + " bytes, modified " + java.nio.file.Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
