package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One numeric column of a table (a CSV file, or any {@link TableSource}), one value per data row (blank lines skipped, as {@link CsvLoader} does). */
public final class CsvColumnReader {

    private CsvColumnReader() {
    }

    /**
     * The numbers of {@code column}; a missing, non-numeric or non-finite cell is a {@link DataException} naming the
     * file, line and column. {@code flag} names the option that asked for it in messages (e.g. {@code --sample-weight}).
     */
    public static float[] numbers(Path csv, CsvFormat format, String column, String flag) throws IOException {
        return numbers(new CsvSource(csv, format), column, flag);
    }

    /** {@link #numbers(Path, CsvFormat, String, String)} of a table from any source (Parquet, SQL). */
    public static float[] numbers(TableSource source, String column, String flag) throws IOException {
        String file = source.name();
        try (TableRows parser = source.open()) {
            List<String> fields = new ArrayList<>();
            List<String> header = parser.header();
            int c = header.indexOf(column.strip());
            if (c < 0) throw new DataException(flag + ": no column '" + column + "' in " + file + " (columns: " + String.join(", ", header) + ")");
            float[] v = new float[64];
            int n = 0;
            while (parser.next(fields)) {
                int line = parser.recordLine();
                String where = file + " line " + line + ", column '" + header.get(c) + "': ";
                if (fields.size() != header.size()) {
                    throw new DataException(file + " line " + line + ": " + fields.size() + " values, but the header has " + header.size() + " columns");
                }
                String s = fields.get(c).strip();
                if (MissingValues.isMissing(s)) throw new DataException(where + "the " + flag + " value is missing");
                try {
                    if (n == v.length) v = Arrays.copyOf(v, 2 * n);
                    v[n++] = NumericColumn.value(s);
                } catch (IllegalArgumentException e) {
                    throw new DataException(where + e.getMessage());
                }
            }
            return Arrays.copyOf(v, n);
        }
    }
}
