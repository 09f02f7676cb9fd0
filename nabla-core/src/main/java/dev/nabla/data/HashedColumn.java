package dev.nabla.data;

import dev.nabla.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A categorical column with many values: the hashing trick (scikit-learn's {@code FeatureHasher}, Keras'
 * {@code Hashing} layer), one input per bucket, 1 in the bucket of the cell's text. Any value, seen in training or
 * not, lands in a bucket, so nothing is unseen; different values may share one. The hash is
 * {@link String#hashCode()} (specified by the Java platform, so the same on every JVM) through MurmurHash3's
 * finaliser. A missing cell goes to the training rows' most frequent bucket.
 *
 * @param column       the CSV column
 * @param buckets      how many inputs
 * @param mostFrequent the bucket a missing cell goes to
 */
public record HashedColumn(String column, int buckets, int mostFrequent) implements ColumnEncoder {

    static final String TYPE = "hashed";

    public HashedColumn {
        if (buckets < 1) throw new IllegalArgumentException("hashed column '" + column + "': buckets must be at least 1");
        if (mostFrequent < 0 || mostFrequent >= buckets) {
            throw new IllegalArgumentException("hashed column '" + column + "': bucket " + mostFrequent + " is not in [0, " + buckets + ")");
        }
    }

    @Override
    public int width() {
        return buckets;
    }

    @Override
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < buckets; b++) names.add(column + "#" + b);
        return names;
    }

    @Override
    public void encode(String cell, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + buckets, 0f);
        String s = cell.strip();
        out[offset + (MissingValues.isMissing(s) ? mostFrequent : bucket(s.hashCode(), buckets))] = 1;
    }

    /** The bucket of a text whose {@link String#hashCode()} is {@code hash}. */
    static int bucket(int hash, int buckets) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, buckets);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("column", column);
        m.put("buckets", buckets);
        m.put("most_frequent", mostFrequent);
        return m;
    }

    static HashedColumn fromMap(Map<String, Object> m, String what) {
        long buckets = Json.asLong(m.get("buckets"), what + ".buckets", 1, 1 << 16);
        long k = Json.asLong(m.get("most_frequent"), what + ".most_frequent", 0, buckets - 1);
        return new HashedColumn(Json.asString(m.get("column"), what + ".column"), (int) buckets, (int) k);
    }
}
