package dev.nabla.data;

import dev.nabla.dataset.StreamDataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table too large to load whole, trained on as a stream: {@link #fit} reads the source a few times for its
 * statistics only ({@link TableStreamFit}: column kinds, categories, classes, exact medians, means and deviations,
 * in memory that does not grow with the rows), then {@link #train} and {@link #validation} read it again on every
 * pass (an epoch), a row at a time: a CSV file is parsed again, a Parquet file's row groups are decoded again (memory:
 * one row group), a JDBC query is run again with a fetch size. The rows come out encoded exactly as
 * {@link TableLoader} encodes them in memory, with the same encoders. The validation rows are {@link StreamSplit}'s.
 *
 * <pre>{@code
 * TableStream t = TableStream.fit(new CsvSource(Path.of("big.csv"), CsvFormat.DEFAULT), DataOptions.defaults(), 0.1);
 * model.fit(t.train(), new FitOptions().validationData(t.validation()).epochs(3));
 * }</pre>
 */
public final class TableStream {

    private final TableSource source;
    private final TableStreamFit.Fitted fitted;
    private final StreamSplit split;

    private TableStream(TableSource source, TableStreamFit.Fitted fitted, StreamSplit split) {
        this.source = source;
        this.fitted = fitted;
        this.split = split;
    }

    /**
     * Reads {@code source} for its statistics, fitted on the training rows (all but the {@code validationSplit} that
     * {@link StreamSplit} holds out); the options' label, task, columns and standardisation apply as in memory. A
     * split that leaves no rows on one side is an IllegalArgumentException.
     */
    public static TableStream fit(TableSource source, DataOptions options, double validationSplit) throws IOException {
        StreamSplit split = new StreamSplit(validationSplit);
        return new TableStream(source, TableStreamFit.fit(source, options, split), split);
    }

    /** The fitted preprocessing, with the feature and target statistics of the training rows. */
    public Preprocessing preprocessing() {
        return fitted.preprocessing();
    }

    /** Data rows in the source. */
    public long rows() {
        return fitted.rows();
    }

    /** The training rows, read again on every pass. */
    public StreamDataset train() {
        return part(false, rows() - split.heldOut(rows()));
    }

    /** The validation rows, or null when none are held out. */
    public StreamDataset validation() {
        long held = split.heldOut(rows());
        return held == 0 ? null : part(true, held);
    }

    private StreamDataset part(boolean validation, long size) {
        return new TableRowStream(source, fitted.version(), fitted.header(), fitted.preprocessing(),
                i -> split.validation(i) == validation, fitted.rows(), size);
    }

    /**
     * Every row of another table ({@code --test}) read with a fitted preprocessing, as a stream; one reading counts
     * its rows first. Its columns are found by name, as {@link CsvLoader#loadWith} finds them.
     */
    public static StreamDataset labelled(TableSource source, Preprocessing fitted) throws IOException {
        long n = 0;
        try (TableRows rows = source.open()) {
            List<String> fields = new ArrayList<>();
            while (rows.next(fields)) n++;
        }
        if (n == 0) throw new DataException(source.name() + ": no data rows after the header");
        return new TableRowStream(source, source.version(), null, fitted, i -> true, n, n);
    }

    /** A new pass over {@code source}, which must still be as it was when first read. */
    static TableRows reopen(TableSource source, String version, List<String> header) throws IOException {
        if (version != null && !version.equals(source.version())) {
            throw new DataException(source.name() + ": changed since it was first read (" + version + " then, " + source.version()
                    + " now); a streamed table is read again every epoch and must not change while training");
        }
        TableRows rows = source.open();
        if (header != null && !header.equals(rows.header())) {
            rows.close();
            throw new DataException(source.name() + ": its columns changed since it was first read (" + String.join(", ", header)
                    + " then, " + String.join(", ", rows.header()) + " now); a streamed table must not change while training");
        }
        return rows;
    }

    /** The error for a source whose reading found {@code what} rows than the first one's {@code rows}. */
    static DataException changed(TableSource source, long rows, String what) {
        return new DataException(source.name() + ": changed since it was first read: " + what + " rows than the " + rows
                + " it had then; a streamed table must not change while training");
    }
}
