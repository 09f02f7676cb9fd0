package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One numeric column of a CSV file, one value per data row (blank lines skipped, as {@link CsvLoader} does). */
public final class CsvColumnReader {

    private CsvColumnReader() {
    }

    /**
     * The numbers of {@code column}; a missing, non-numeric or non-finite cell is a {@link DataException} naming the
     * file, line and column. {@code flag} names the option that asked for it in messages (e.g. {@code --sample-weight}).
     */
    public static float[] numbers(Path csv, CsvFormat format, String column, String flag) throws IOException {
        String file = csv.toString();
        if (!Files.isRegularFile(csv)) throw new DataException(file + ": no such file");
        try (CsvParser parser = new CsvParser(Files.newInputStream(csv), format.encoding(), format.delimiter(), file)) {
            List<String> fields = new ArrayList<>();
            if (!parser.next(fields)) throw new DataException(file + ": the file is empty (expected a header row with column names)");
            List<String> header = new ArrayList<>();
            for (String f : fields) header.add(f.strip());
            int c = header.indexOf(column.strip());
            if (c < 0) throw new DataException(flag + ": no column '" + column + "' in " + file + " (columns: " + String.join(", ", header) + ")");
            float[] v = new float[64];
            int n = 0;
            while (parser.next(fields)) {
                if (fields.size() == 1 && fields.get(0).isBlank()) continue;
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
