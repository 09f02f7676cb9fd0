package dev.nabla.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One pass over the rows of a table, whatever holds it (a CSV file, a Parquet file, a SQL query): the column names,
 * then each row's cells as text, as a CSV file would spell them, so that every source gets the same column handling
 * ({@link TableLoader}): numbers are numbers, other text is categorical, a missing cell ({@link MissingValues}; SQL
 * and Parquet nulls are given as empty cells) is imputed.
 */
public interface TableRows extends Closeable {

    /** The column names, in order; unique and not empty (see {@link #checkHeader}). */
    List<String> header();

    /** Fills {@code fields} with the next row's cells; false at the end. */
    boolean next(List<String> fields) throws IOException;

    /** Where the last row read is, for messages: its line in a CSV file, its number (from 1) in other sources. */
    int recordLine();

    @Override
    void close() throws IOException;

    /** {@code names} checked as column names of {@code source}: none empty, none twice. */
    static List<String> checkHeader(List<String> names, String source, String where) throws DataException {
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c) == null ? "" : names.get(c).strip();
            if (name.isEmpty()) {
                throw new DataException(source + where + ": column " + (c + 1) + " has no name (every column must have one)");
            }
            if (!seen.add(name)) throw new DataException(source + where + ": column '" + name + "' appears twice");
        }
        return names.stream().map(String::strip).toList();
    }
}
