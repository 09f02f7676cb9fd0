package dev.nabla.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The readings of a streamed table before training, none of which keeps its rows: the first counts what the columns
 * and the label hold ({@link ColumnSketch}, {@link LabelSketch}) and the first digit of each numeric column's median
 * ({@link RadixMedian}); further readings of the training rows finish the medians; then two more give the encoded
 * features' (and a regression target's) mean and deviation, summed in the order and precision
 * {@link Standardizer#statistics} sums rows in memory, so a streamed table gets the statistics that loading its
 * training rows whole gives, to the last bit. Memory: one histogram per numeric column (256 KiB, or 1 KiB and two more
 * readings where many columns would take too much of the heap), and at most a few thousand distinct labels.
 */
final class TableStreamFit {

    /** The share of the heap the medians' histograms may take before they use narrower digits and more readings. */
    private static final int HISTOGRAM_SHARE = 16;

    private TableStreamFit() {
    }

    /** What the readings found: the rows' layout, counts and the fitted preprocessing. */
    record Fitted(List<String> header, int label, int[] columns, long rows, Preprocessing preprocessing, String version) {
    }

    static Fitted fit(TableSource source, DataOptions options, StreamSplit split) throws IOException {
        String file = source.name();
        String version = source.version();
        List<String> header;
        int label;
        int[] columns;
        ColumnSketch[] sketches;
        LabelSketch labels;
        long n = 0;
        try (TableRows rows = source.open()) {
            header = rows.header();
            label = CsvLoader.labelIndex(header, options.labelColumn(), file);
            columns = TableSelection.features(header, label, options.columns(), options.ignore(), file);
            int digitBits = (long) columns.length * (4L << 16) <= HeapLimit.maxHeap() / HISTOGRAM_SHARE ? 16 : 8;
            sketches = new ColumnSketch[columns.length];
            for (int j = 0; j < columns.length; j++) sketches[j] = new ColumnSketch(header.get(columns[j]), digitBits);
            labels = new LabelSketch(file, header.get(label));
            List<String> fields = new ArrayList<>();
            while (rows.next(fields)) {
                int line = rows.recordLine();
                CsvLoader.checkWidth(fields, header.size(), file, line);
                boolean train = !split.validation(n);
                for (int j = 0; j < columns.length; j++) {
                    try {
                        sketches[j].add(fields.get(columns[j]), train, line);
                    } catch (IllegalArgumentException e) {
                        throw new DataException(CsvLoader.where(file, line, header.get(columns[j])) + e.getMessage());
                    }
                }
                labels.add(CsvLoader.checkLabel(fields.get(label).strip(), file, line, header.get(label)), line);
                n++;
            }
        }
        if (n == 0) throw new DataException(file + ": no data rows after the header");
        for (ColumnSketch s : sketches) {
            if (s.isFreeText()) {
                throw new DataException(CsvLoader.where(file, s.firstTextLine(), s.column()) + "holds free text (e.g. '"
                        + CsvLoader.clip(s.firstText()) + "'), not categories; train a text model on it with --text-column "
                        + s.column() + ", or leave it out with --ignore " + s.column());
            }
        }
        LabelTargets targets = labels.decide(options.task());
        split.check(n);
        Layout layout = new Layout(source, version, header, columns, label, n, split);
        for (ColumnSketch s : sketches) s.endPass();
        // without missing training cells the medians change no training row's inputs: their last reading can be the
        // first of the statistics
        boolean merge = true;
        for (ColumnSketch s : sketches) merge &= !(s.needsPass() && s.anyMissing());
        Layout.RowVisitor medians = fields -> {
            for (int j = 0; j < columns.length; j++) sketches[j].again(fields.get(columns[j]));
        };
        while (anyNeedsPass(sketches) && !(merge && readingsLeft(sketches) == 1)) {
            layout.trainingRows(medians);
            for (ColumnSketch s : sketches) s.endPass();
        }
        boolean last = anyNeedsPass(sketches);
        List<ColumnEncoder> provisional = new ArrayList<>();
        for (ColumnSketch s : sketches) provisional.add(s.provisional());
        TableColumns table = new TableColumns(header, provisional);
        float[][] mean = new float[1][];
        float[][] std = new float[1][];
        double[] target = {0, 1};
        statistics(layout, table, targets.task() == Task.REGRESSION, options.standardize(), last ? medians : null, mean, std, target);
        for (ColumnSketch s : sketches) s.endPass();
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (ColumnSketch s : sketches) encoders.add(s.fit());
        table = new TableColumns(header, encoders);
        Preprocessing p = new Preprocessing("table", targets.task(), targets.classes(), table.featureColumns(), header.get(label),
                null, null, 0, 1, null, 1, table, targets.reason());
        return new Fitted(header, label, columns, n, p.withStatistics(mean[0], std[0], target[0], target[1]), version);
    }

    private static boolean anyNeedsPass(ColumnSketch[] sketches) {
        for (ColumnSketch s : sketches) if (s.needsPass()) return true;
        return false;
    }

    private static int readingsLeft(ColumnSketch[] sketches) {
        int left = 0;
        for (ColumnSketch s : sketches) left = Math.max(left, s.readingsLeft());
        return left;
    }

    /**
     * Feature mean and deviation (when {@code standardize}) into {@code meanOut[0]}, {@code stdOut[0]}, and a
     * regression target's into {@code target}, as {@link Standardizer} fits them; {@code alsoFirst} (or null) also
     * sees each training row of the first reading.
     */
    private static void statistics(Layout layout, TableColumns table, boolean regression, boolean standardize,
                                   Layout.RowVisitor alsoFirst, float[][] meanOut, float[][] stdOut, double[] target) throws IOException {
        if (!standardize && !regression) {
            if (alsoFirst != null) layout.trainingRows(alsoFirst);
            return;
        }
        int width = table.width();
        int f = standardize ? width : 0;
        float[] x = new float[width];
        double[] mean = new double[f + 1];
        double[] sq = new double[f + 1];
        long[] count = new long[1];
        int labelColumn = layout.label;
        // two readings: the sum of squared deviations is exactly 0 for a constant column, as in memory
        for (int reading = 0; reading < 2; reading++) {
            boolean first = reading == 0;
            layout.trainingRows(fields -> {
                if (first && alsoFirst != null) alsoFirst.visit(fields);
                if (f > 0) {
                    table.encodeRow(fields, layout.columns, x, 0);
                    for (int j = 0; j < f; j++) {
                        if (first) mean[j] += x[j];
                        else {
                            double e = x[j] - mean[j];
                            sq[j] += e * e;
                        }
                    }
                }
                if (regression) {
                    float y = (float) CsvLoader.parseNumber(fields.get(labelColumn).strip());
                    if (first) mean[f] += y;
                    else {
                        double e = y - mean[f];
                        sq[f] += e * e;
                    }
                }
                if (first) count[0]++;
            });
            if (first) for (int j = 0; j <= f; j++) mean[j] /= count[0];
        }
        if (f > 0) {
            meanOut[0] = new float[f];
            stdOut[0] = new float[f];
            for (int j = 0; j < f; j++) {
                meanOut[0][j] = (float) mean[j];
                stdOut[0][j] = (float) deviation(sq[j], count[0]);
            }
        }
        if (regression) {
            target[0] = mean[f];
            target[1] = deviation(sq[f], count[0]);
        }
    }

    private static double deviation(double squares, long n) {
        double s = Math.sqrt(squares / n);
        return !(s > 0) || !Double.isFinite(s) ? 1 : s;
    }

    /** Where a fitted table's cells are, and a reading of its training rows that checks the source did not change. */
    record Layout(TableSource source, String version, List<String> header, int[] columns, int label, long rows, StreamSplit split) {

        interface RowVisitor {
            void visit(List<String> fields) throws IOException;
        }

        /** Reads the source again, giving {@code visitor} each training row's cells. */
        void trainingRows(RowVisitor visitor) throws IOException {
            try (TableRows rows = TableStream.reopen(source, version, header)) {
                List<String> fields = new ArrayList<>();
                long i = 0;
                while (rows.next(fields)) {
                    int line = rows.recordLine();
                    CsvLoader.checkWidth(fields, header.size(), source.name(), line);
                    if (i >= this.rows) throw TableStream.changed(source, this.rows, "more");
                    if (!split.validation(i++)) {
                        try {
                            visitor.visit(fields);
                        } catch (IllegalArgumentException e) {
                            throw new DataException(source.name() + " line " + line + ", " + e.getMessage());
                        }
                    }
                }
                if (i != this.rows) throw TableStream.changed(source, this.rows, "fewer (" + i + ")");
            }
        }
    }
}
