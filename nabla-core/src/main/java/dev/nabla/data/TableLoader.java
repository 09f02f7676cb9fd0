package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Loads a table from any {@link TableSource} (CSV, Parquet, SQL) the way {@link CsvLoader} loads a CSV file: the
 * same label choice, column selection, numeric and categorical columns, missing values and error messages, so a
 * table trains alike wherever it is kept. The rows are read once, kept compactly ({@link ColumnProfile}: no strings
 * per row), and read a second time only for the hashes of a categorical column that turned out to need them.
 */
public final class TableLoader {

    private TableLoader() {
    }

    /**
     * Raw features, labels and a {@link Preprocessing} without statistics (see {@link CsvLoader#loadTable}); the
     * column encoders are fitted on the rows {@code fitRows} gives for the number of rows (null, or a null answer:
     * all rows).
     */
    public static LoadedData load(TableSource source, DataOptions options, IntFunction<int[]> fitRows) throws IOException {
        String file = source.name();
        try (TableRows parser = source.open()) {
            List<String> header = parser.header();
            int label = CsvLoader.labelIndex(header, options.labelColumn(), file);
            int[] columns = TableSelection.features(header, label, options.columns(), options.ignore(), file);
            ColumnProfile[] profiles = new ColumnProfile[columns.length];
            for (int j = 0; j < columns.length; j++) profiles[j] = new ColumnProfile(header.get(columns[j]));
            List<String> labels = new ArrayList<>();
            int[] lines = new int[64];
            int n = 0;
            List<String> fields = new ArrayList<>();
            while (parser.next(fields)) {
                int line = parser.recordLine();
                CsvLoader.checkWidth(fields, header.size(), file, line);
                if ((long) (n + 1) * columns.length > Integer.MAX_VALUE - 8) {
                    throw new DataException(file + ": too many values to hold in memory (more than 2^31)");
                }
                if (n == lines.length) {
                    // the column profiles double with the rows: 5 bytes a cell, old and new arrays alive together
                    HeapLimit.check(file, 15L * n * columns.length, "its values");
                }
                if (n == lines.length) lines = Arrays.copyOf(lines, 2 * n);
                for (int j = 0; j < columns.length; j++) {
                    try {
                        profiles[j].add(fields.get(columns[j]));
                    } catch (IllegalArgumentException e) {
                        throw new DataException(CsvLoader.where(file, line, header.get(columns[j])) + e.getMessage());
                    }
                }
                String value = fields.get(label).strip();
                labels.add(CsvLoader.checkLabel(value, file, line, header.get(label)));
                lines[n] = line;
                n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            for (ColumnProfile profile : profiles) {
                if (profile.isFreeText()) {
                    throw new DataException(CsvLoader.where(file, lines[profile.firstTextRow()], profile.column()) + "holds free text (e.g. '"
                            + CsvLoader.clip(profile.firstText()) + "'), not categories; train a text model on it with --text-column "
                            + profile.column() + ", or leave it out with --ignore " + profile.column());
                }
            }
            backfill(source, profiles, columns);
            int[] rows = fitRows == null ? null : fitRows.apply(n);
            List<ColumnEncoder> encoders = new ArrayList<>();
            int width = 0;
            for (ColumnProfile profile : profiles) {
                ColumnEncoder e = profile.fit(rows);
                encoders.add(e);
                width += e.width();
            }
            if ((long) n * width > Integer.MAX_VALUE - 8) {
                throw new DataException(file + ": too many values to hold in memory (more than 2^31)");
            }
            float[] x = new float[n * width];
            for (int i = 0, at = 0; i < n; i++) {
                for (int j = 0; j < profiles.length; j++) {
                    profiles[j].encode(encoders.get(j), i, x, at);
                    at += encoders.get(j).width();
                }
            }
            String labelName = header.get(label);
            LabelTargets targets = LabelTargets.of(labels, lines, options.task(), null, file, labelName);
            TableColumns table = new TableColumns(header, encoders);
            Preprocessing p = new Preprocessing("table", targets.task(), targets.classes(), table.featureColumns(), labelName,
                    null, null, 0, 1, null, 1, table, targets.reason());
            Tensor y = targets.task() == Task.REGRESSION ? Tensor.wrap(targets.y(), n, 1) : Tensor.wrap(targets.y(), n);
            return new LoadedData(Tensor.wrap(x, n, width), y, p);
        }
    }

    /** Reads the source again for the cells whose hashes some profiles could not keep (see {@link ColumnProfile}). */
    private static void backfill(TableSource source, ColumnProfile[] profiles, int[] columns) throws IOException {
        int until = 0;
        for (ColumnProfile p : profiles) until = Math.max(until, p.needsHashesBefore());
        if (until == 0) return;
        try (TableRows rows = source.open()) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < until && rows.next(fields); i++) {
                for (int j = 0; j < profiles.length; j++) {
                    if (i < profiles[j].needsHashesBefore()) profiles[j].backfill(i, fields.get(columns[j]));
                }
            }
        }
    }
}
