package dev.nabla.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One feature column of a training table while it is read, compactly (no strings kept per row): each cell's number
 * (if it is one), its index among the first few distinct texts, whether it is missing, and, once the column turned
 * out to hold text, its text's hash. Enough to fit a {@link ColumnEncoder} on any subset of the rows (the training
 * part of a split) and to give every row the inputs that encoder gives the cell's text. A numeric column keeps no
 * hashes (5 bytes a cell); a column whose first word comes after more distinct numbers than one-hot takes cannot know
 * the earlier cells' hashes, and {@link #needsHashesBefore} asks for a second reading of them ({@link #backfill}).
 */
final class ColumnProfile {

    private final String column;
    private float[] values = new float[64];
    /** Null while the column is numeric. */
    private int[] hashes;
    /** Rows before this one have no hash yet (they must be read again), 0 when every row has one. */
    private int hashesFrom;
    private byte[] ids = new byte[64];
    private final BitSet missing = new BitSet();
    private final Map<String, Integer> distinct = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    /** Whether some cell is neither a number nor missing: then the column is categorical. */
    private boolean text;
    private int firstTextRow = -1;
    private String firstText;
    private int textCells;
    private int spacedCells;
    private int rows;

    ColumnProfile(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }

    void add(String raw) {
        String s = raw.strip();
        int i = rows++;
        if (i == values.length) {
            int n = (int) Math.min(Integer.MAX_VALUE - 8, 2L * i);
            values = Arrays.copyOf(values, n);
            if (hashes != null) hashes = Arrays.copyOf(hashes, n);
            ids = Arrays.copyOf(ids, n);
        }
        if (MissingValues.isMissing(s)) {
            missing.set(i);
            values[i] = Float.NaN;
            ids[i] = -1;
            return;
        }
        double d = NumericColumn.parseCell(s);
        float v = (float) d;
        if (Double.isNaN(d)) {
            if (!text) {
                text = true;
                firstTextRow = i;
                firstText = s;
                startHashes(i);
            }
            textCells++;
            if (s.indexOf(' ') >= 0) spacedCells++;
        }
        values[i] = v;
        if (hashes != null) hashes[i] = s.hashCode();
        if (many()) {
            // past one-hot's limit the index is never used again: keep only the hash
            ids[i] = -1;
            return;
        }
        Integer k = distinct.get(s);
        if (k == null) {
            k = distinct.size();
            distinct.put(s, k);
            names.add(s);
        }
        ids[i] = k.byteValue();
    }

    /**
     * From the first word on every cell's hash is kept; the earlier cells' hashes come from the few distinct texts
     * seen so far, or, when there were too many to keep, from reading those rows again.
     */
    private void startHashes(int row) {
        hashes = new int[values.length];
        if (many()) {
            hashesFrom = row;
            return;
        }
        for (int r = 0; r < row; r++) if (ids[r] >= 0) hashes[r] = names.get(ids[r]).hashCode();
    }

    /** The number of first rows whose hashes must be given by {@link #backfill} (0: none). */
    int needsHashesBefore() {
        return hashesFrom;
    }

    /** Row {@code i}'s cell again, for its hash (rows before {@link #needsHashesBefore} only). */
    void backfill(int i, String raw) {
        hashes[i] = raw.strip().hashCode();
    }

    boolean isText() {
        return text;
    }

    /** The row (0-based among data rows) of the first cell that made the column categorical, -1 if none. */
    int firstTextRow() {
        return firstTextRow;
    }

    /**
     * Whether the column looks like free text (sentences, reviews) rather than categories: many distinct values, most
     * of them with spaces. Hashing those as categories would learn nothing; they need a text model.
     */
    boolean isFreeText() {
        return text && many() && spacedCells * 2 > textCells;
    }

    /** The first text that made the column categorical. */
    String firstText() {
        return firstText;
    }

    /** Whether the column has more distinct texts than one-hot takes. */
    private boolean many() {
        return distinct.size() > TableColumns.MAX_ONE_HOT;
    }

    /** The encoder fitted on {@code rows} (null: all rows). */
    ColumnEncoder fit(int[] rows) {
        int n = rows == null ? this.rows : rows.length;
        if (!text) {
            float[] present = new float[n];
            int m = 0;
            boolean anyMissing = false;
            for (int r = 0; r < n; r++) {
                int i = rows == null ? r : rows[r];
                if (missing.get(i)) anyMissing = true;
                else present[m++] = values[i];
            }
            return new NumericColumn(column, median(Arrays.copyOf(present, m)), anyMissing);
        }
        if (!many()) {
            long[] counts = new long[names.size()];
            for (int r = 0; r < n; r++) {
                int i = rows == null ? r : rows[r];
                if (ids[i] >= 0) counts[ids[i]]++;
            }
            TreeSet<String> seen = new TreeSet<>();
            for (int k = 0; k < counts.length; k++) if (counts[k] > 0) seen.add(names.get(k));
            if (seen.isEmpty()) seen.addAll(names);
            List<String> categories = List.copyOf(seen);
            // the most frequent, ties to the first in sorted order (as scikit-learn's most_frequent)
            int best = 0;
            long bestCount = -1;
            for (int k = 0; k < categories.size(); k++) {
                long c = counts[names.indexOf(categories.get(k))];
                if (c > bestCount) {
                    best = k;
                    bestCount = c;
                }
            }
            return new OneHotColumn(column, categories, best);
        }
        long[] counts = new long[TableColumns.HASH_BUCKETS];
        for (int r = 0; r < n; r++) {
            int i = rows == null ? r : rows[r];
            if (!missing.get(i)) counts[HashedColumn.bucket(hashes[i], counts.length)]++;
        }
        int best = 0;
        for (int b = 1; b < counts.length; b++) if (counts[b] > counts[best]) best = b;
        return new HashedColumn(column, counts.length, best);
    }

    /**
     * Writes the inputs {@code encoder} gives row {@code i}'s cell, exactly what {@link ColumnEncoder#encode} gives its
     * text. {@code encoder} is one {@link #fit} made, so one of the three kinds it makes: this is fit's other half,
     * working from what was kept of the cells instead of their texts.
     */
    void encode(ColumnEncoder encoder, int i, float[] out, int offset) {
        if (encoder instanceof NumericColumn num) {
            boolean isMissing = missing.get(i);
            out[offset] = isMissing ? num.median().floatValue() : values[i];
            if (num.indicator()) out[offset + 1] = isMissing ? 1 : 0;
        } else if (encoder instanceof OneHotColumn hot) {
            Arrays.fill(out, offset, offset + hot.width(), 0f);
            int k = missing.get(i) ? hot.mostFrequent() : hot.categories().indexOf(names.get(ids[i]));
            if (k >= 0) out[offset + k] = 1;
        } else {
            HashedColumn h = (HashedColumn) encoder;
            Arrays.fill(out, offset, offset + h.width(), 0f);
            out[offset + (missing.get(i) ? h.mostFrequent() : HashedColumn.bucket(hashes[i], h.buckets()))] = 1;
        }
    }

    /** The median of the values (the mean of the middle two for an even count), 0 when there are none. */
    static double median(float[] v) {
        if (v.length == 0) return 0;
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : ((double) v[m - 1] + v[m]) / 2;
    }
}
