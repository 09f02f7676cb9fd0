package dev.nabla.data;

import dev.nabla.dataset.Example;
import dev.nabla.dataset.ExampleSpec;
import dev.nabla.dataset.StreamDataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Some rows of a table, read from its source again on every pass and encoded with a fitted {@link TableColumns}, as
 * a {@link StreamDataset}: raw features {@code [width]} and a class number (or the raw regression value), exactly
 * the values {@link TableLoader} gives the same rows in memory. Rows are encoded as they are read (on the loader's
 * reader thread), so a record in the shuffle buffer holds its floats, not its cells' texts. A row that cannot be encoded, or a source that changed since it was fitted
 * (other columns, a different size or modification time, more or fewer rows), ends the pass with a
 * {@link DataException} naming the file and line.
 */
final class TableRowStream implements StreamDataset {

    private final TableSource source;
    private final String version;
    private final List<String> header;
    private final Preprocessing fitted;
    private final TableColumns table;
    private final LongPredicate keep;
    private final long expectedRows;
    private final long size;
    private final Map<String, Integer> classIndex = new HashMap<>();

    /**
     * @param version      the source's {@link TableSource#version} when fitted (null: not checked)
     * @param header       the columns it had (null: any, the features located by name)
     * @param keep         which data rows (0-based) this stream gives
     * @param expectedRows data rows every pass must have (-1: not checked)
     * @param size         rows kept per pass
     */
    TableRowStream(TableSource source, String version, List<String> header, Preprocessing fitted, LongPredicate keep,
                   long expectedRows, long size) {
        this.source = source;
        this.version = version;
        this.header = header;
        this.fitted = fitted;
        this.table = fitted.tableColumns();
        this.keep = keep;
        this.expectedRows = expectedRows;
        this.size = size;
        for (int k = 0; k < fitted.classes().size(); k++) classIndex.put(fitted.classes().get(k), k);
    }

    @Override
    public ExampleSpec spec() {
        return ExampleSpec.of(new int[]{table.width()}, fitted.task() == Task.REGRESSION ? new int[]{1} : new int[]{}, false);
    }

    @Override
    public long size() {
        return size;
    }

    /** Rows are parsed and encoded on the reader thread; a worker only stacks them into batches. */
    @Override
    public int suggestedWorkers() {
        return 1;
    }

    @Override
    public Records open() throws IOException {
        TableRows rows = TableStream.reopen(source, version, header);
        String file = source.name();
        List<String> columns = rows.header();
        int[] at;
        int label;
        try {
            at = table.locate(columns, file);
            label = columns.indexOf(fitted.labelName());
            if (label < 0) throw new DataException(file + ": no label column '" + fitted.labelName() + "' (columns: " + String.join(", ", columns) + ")");
        } catch (IOException e) {
            rows.close();
            throw e;
        }
        return new Records() {
            private final List<String> fields = new ArrayList<>();
            private long index;

            @Override
            public Record next() throws IOException {
                while (rows.next(fields)) {
                    int line = rows.recordLine();
                    CsvLoader.checkWidth(fields, columns.size(), file, line);
                    if (expectedRows >= 0 && index >= expectedRows) throw TableStream.changed(source, expectedRows, "more");
                    if (!keep.test(index++)) continue;
                    // encoded here, on the reader: a row's floats take far less room in the shuffle buffer than its cells' texts
                    Example e = decode(fields, at, label, line);
                    return () -> e;
                }
                if (expectedRows >= 0 && index != expectedRows) throw TableStream.changed(source, expectedRows, "fewer (" + index + ")");
                return null;
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }

    private Example decode(List<String> cells, int[] at, int label, int line) throws DataException {
        String file = source.name();
        float[] x = new float[table.width()];
        try {
            table.encodeRow(cells, at, x, 0);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + " line " + line + ", " + e.getMessage());
        }
        String column = fitted.labelName();
        String value = CsvLoader.checkLabel(cells.get(label).strip(), file, line, column);
        float y;
        if (fitted.task() == Task.REGRESSION) {
            if (!CsvLoader.isNumber(value)) {
                throw new DataException(CsvLoader.where(file, line, column) + "'" + CsvLoader.clip(value) + "' is not a number (the model predicts a number)");
            }
            y = (float) CsvLoader.parseNumber(value);
        } else {
            Integer k = classIndex.get(value);
            if (k == null && CsvLoader.isNumber(value)) k = classIndex.get(LabelTargets.canonical(value));
            if (k == null) {
                throw new DataException(CsvLoader.where(file, line, column) + "class '" + CsvLoader.clip(value)
                        + "' was not seen in training (" + fitted.classes().size() + " classes)");
            }
            y = k;
        }
        return new Example(x, new float[]{y});
    }
}
