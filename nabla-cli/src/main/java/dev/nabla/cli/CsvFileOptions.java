package dev.nabla.cli;

import dev.nabla.data.CsvFormat;
import picocli.CommandLine.Option;

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
