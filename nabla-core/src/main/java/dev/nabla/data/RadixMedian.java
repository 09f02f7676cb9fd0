package dev.nabla.data;

/**
 * The exact median of a column of floats read several times over, in memory bounded by one histogram (not by the
 * number of values): a radix selection over the floats' bits. The first reading counts the values by their highest
 * {@code digitBits} bits (in the order floats sort: -0.0 before 0.0, as {@link java.util.Arrays#sort(float[])}); that
 * finds the bucket holding each middle value (one for an odd count, two for an even one), and each further reading
 * counts, among the values of that bucket only, their next digit, until all 32 bits are known. The result is what
 * sorting all the values and taking the middle one (the mean of the middle two, in double) gives, bit for bit
 * ({@link ColumnProfile#median}).
 *
 * <p>Use: {@link #add} every value of a reading; {@link #endPass()}; while {@link #needsPass()} read them again.
 */
final class RadixMedian {

    private final int digitBits;
    private final int levels;
    /** The middle ranks (0-based): equal for an odd count. */
    private long[] rank;
    /** For each middle rank: the known high bits of its key (as an unsigned key with the unknown bits 0). */
    private final int[] prefix = new int[2];
    /** For each middle rank: its rank among the values that share {@link #prefix}. */
    private final long[] within = new long[2];
    private int[][] counts;
    private int level;
    private long count;

    /** @param digitBits bits counted per reading: 8 (4 readings, 1 KiB) or 16 (2 readings, 256 KiB) */
    RadixMedian(int digitBits) {
        if (32 % digitBits != 0 || digitBits > 16) throw new IllegalArgumentException("digit bits must divide 32, at most 16: " + digitBits);
        this.digitBits = digitBits;
        this.levels = 32 / digitBits;
        this.counts = new int[][]{new int[1 << digitBits]};
    }

    /** The float's bits as an unsigned key in the order floats sort. */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (bits ^ ((bits >> 31) & 0x7fffffff)) ^ 0x80000000;
    }

    private static float value(int key) {
        int bits = key ^ 0x80000000;
        return Float.intBitsToFloat(bits ^ ((bits >> 31) & 0x7fffffff));
    }

    /** Counts one value of this reading (not NaN). */
    void add(float v) {
        int k = key(v);
        int shift = 32 - digitBits * (level + 1);
        int digit = (k >>> shift) & ((1 << digitBits) - 1);
        if (level == 0) {
            count++;
            counts[0][digit]++;
            return;
        }
        // the digits known so far: the top digitBits * level bits (level >= 1, so fewer than 32)
        int highMask = ~((1 << (shift + digitBits)) - 1);
        for (int t = 0; t < counts.length; t++) {
            if ((k & highMask) == prefix[t]) counts[t][digit]++;
        }
    }

    /** Ends a reading: narrows each middle value down by one digit. */
    void endPass() {
        if (!needsPass()) return;
        if (level == 0) {
            if (count == 0) {
                level = levels;
                counts = null;
                return;
            }
            rank = new long[]{(count - 1) / 2, count / 2};
            within[0] = rank[0];
            within[1] = rank[1];
            int[] first = counts[0];
            counts = new int[][]{first, first};
        }
        int shift = 32 - digitBits * (level + 1);
        for (int t = 0; t < 2; t++) {
            int[] c = counts[t];
            long before = 0;
            int d = 0;
            while (before + Integer.toUnsignedLong(c[d]) <= within[t]) before += Integer.toUnsignedLong(c[d++]);
            within[t] -= before;
            prefix[t] |= d << shift;
        }
        level++;
        counts = level < levels ? new int[][]{new int[1 << digitBits], new int[1 << digitBits]} : null;
    }

    /** Whether the values must be read (again) before {@link #median} is known. */
    boolean needsPass() {
        return level < levels;
    }

    /** Readings still needed. */
    int readingsLeft() {
        return levels - level;
    }

    /** Values counted in the first reading. */
    long count() {
        return count;
    }

    /** The median (0 when there were no values). */
    double median() {
        if (needsPass()) throw new IllegalStateException("the median needs another reading");
        if (count == 0) return 0;
        float lo = value(prefix[0]);
        float hi = value(prefix[1]);
        return count % 2 == 1 ? hi : ((double) lo + hi) / 2;
    }
}
