package dev.nabla.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One feature column of a streamed table, summarised while the rows pass by in memory that does not grow with them:
 * the streaming twin of {@link ColumnProfile}, which keeps every cell. It sees every row (whether the column is text,
 * free text, and its first few distinct texts are decided on all rows, as in memory) and counts the training rows
 * (category counts, hash buckets, missing cells, the median through a {@link RadixMedian}), so {@link #fit} gives
 * the encoder {@link ColumnProfile#fit} gives for the same training rows, equal in every field.
 */
final class ColumnSketch {

    private final String column;
    private final Map<String, Integer> distinct = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    /** Training rows per distinct text, by its index in {@link #names}. */
    private final long[] trainCounts = new long[TableColumns.MAX_ONE_HOT + 1];
    /** Training rows per hash bucket, for the column turning out hashed. */
    private final long[] bucketCounts = new long[TableColumns.HASH_BUCKETS];
    /** Null once the column holds text (a categorical column has no median). */
    private RadixMedian median;
    private boolean anyMissing;
    private boolean text;
    private long firstTextRow = -1;
    private int firstTextLine = -1;
    private String firstText;
    private long textCells;
    private long spacedCells;
    private long rows;

    ColumnSketch(String column, int digitBits) {
        this.column = column;
        this.median = new RadixMedian(digitBits);
    }

    String column() {
        return column;
    }

    /** Counts row {@code rows}' cell on the first reading; {@code train}: it is a training row. */
    void add(String raw, boolean train, int line) {
        String s = raw.strip();
        long i = rows++;
        if (MissingValues.isMissing(s)) {
            if (train) anyMissing = true;
            return;
        }
        double d = NumericColumn.parseCell(s);
        float v = (float) d;
        if (Double.isNaN(d)) {
            if (!text) {
                text = true;
                firstTextRow = i;
                firstTextLine = line;
                firstText = s;
                median = null;
            }
            textCells++;
            if (s.indexOf(' ') >= 0) spacedCells++;
        } else if (train && median != null) {
            median.add(v);
        }
        if (train) bucketCounts[HashedColumn.bucket(s.hashCode(), bucketCounts.length)]++;
        if (many()) return;
        Integer k = distinct.get(s);
        if (k == null) {
            k = distinct.size();
            distinct.put(s, k);
            names.add(s);
        }
        if (train) trainCounts[k]++;
    }

    /** Counts a training row's cell again, while {@link #needsPass}. */
    void again(String raw) {
        if (median == null || !median.needsPass()) return;
        String s = raw.strip();
        if (MissingValues.isMissing(s)) return;
        median.add((float) CsvLoader.parseNumber(s));
    }

    /** Ends a reading. */
    void endPass() {
        if (median != null) median.endPass();
    }

    /** Whether the median needs the training rows read again. */
    boolean needsPass() {
        return median != null && median.needsPass();
    }

    /** Readings the median still needs. */
    int readingsLeft() {
        return median == null ? 0 : median.readingsLeft();
    }

    /**
     * The encoder before the median is known, for a numeric column without missing training cells: it encodes every
     * training row as {@link #fit}'s will (the median only fills missing cells).
     */
    ColumnEncoder provisional() {
        if (!needsPass()) return fit();
        if (anyMissing) throw new IllegalStateException("'" + column + "' has missing cells: its median is needed to encode them");
        return new NumericColumn(column, 0.0, false);
    }

    /** Whether training rows have missing cells (then imputed values depend on the median). */
    boolean anyMissing() {
        return anyMissing;
    }

    boolean isFreeText() {
        return text && many() && spacedCells * 2 > textCells;
    }

    /** The line of the first cell that made the column categorical. */
    int firstTextLine() {
        return firstTextLine;
    }

    String firstText() {
        return firstText;
    }

    private boolean many() {
        return distinct.size() > TableColumns.MAX_ONE_HOT;
    }

    /** The encoder, once no more readings are needed: {@link ColumnProfile#fit}'s, from the counts. */
    ColumnEncoder fit() {
        if (!text) {
            if (needsPass()) throw new IllegalStateException("the median of '" + column + "' needs another reading");
            return new NumericColumn(column, median.median(), anyMissing);
        }
        if (!many()) {
            TreeSet<String> seen = new TreeSet<>();
            for (int k = 0; k < names.size(); k++) if (trainCounts[k] > 0) seen.add(names.get(k));
            if (seen.isEmpty()) seen.addAll(names);
            List<String> categories = List.copyOf(seen);
            int best = 0;
            long bestCount = -1;
            for (int k = 0; k < categories.size(); k++) {
                long c = trainCounts[names.indexOf(categories.get(k))];
                if (c > bestCount) {
                    best = k;
                    bestCount = c;
                }
            }
            return new OneHotColumn(column, categories, best);
        }
        int best = 0;
        for (int b = 1; b < bucketCounts.length; b++) if (bucketCounts[b] > bucketCounts[best]) best = b;
        return new HashedColumn(column, bucketCounts.length, best);
    }

    /** The row (0-based) of the first text, -1 if none (for tests). */
    long firstTextRow() {
        return firstTextRow;
    }
}
