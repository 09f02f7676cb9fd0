package dev.nabla.data;

/**
 * Which rows of a streamed table are held out for validation: evenly spaced ones, decided by the row's index alone, so
 * every reading of the source agrees without keeping a list. With a validation fraction {@code v}, data row {@code i}
 * (0-based, in the source's order) is held out when {@code floor((i + 1) * v) > floor(i * v)}: for {@code v = 0.2}
 * rows 4, 9, 14, ...; for {@code v = 0.3} rows 3, 6, 9, 13, ...; after {@code n} rows exactly {@code floor(n * v)}
 * are held out. The seed plays no part. (Data loaded whole holds out a seeded random {@code round(n * v)} rows instead,
 * {@link Split#indices}; a sorted source is still held out evenly across its order here.)
 *
 * @param fraction the share held out, in {@code [0, 1)}
 */
public record StreamSplit(double fraction) {

    public StreamSplit {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation split must be in [0, 1), got " + fraction);
    }

    /** Whether data row {@code i} is held out for validation. */
    public boolean validation(long i) {
        return fraction > 0 && Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
    }

    /** Rows held out of the first {@code n}. */
    public long heldOut(long n) {
        return fraction == 0 ? 0 : (long) Math.floor(n * fraction);
    }

    /** The training rows of the first {@code n}, in order (for loading the same split whole, e.g. in tests). */
    public int[] trainingRows(int n) {
        int[] out = new int[(int) (n - heldOut(n))];
        int k = 0;
        for (int i = 0; i < n; i++) if (!validation(i)) out[k++] = i;
        return out;
    }

    /** {@code n} rows split this way leave rows on both sides, else an IllegalArgumentException saying which is empty. */
    void check(long n) {
        long held = heldOut(n);
        if (fraction > 0 && (held < 1 || held >= n)) {
            throw new IllegalArgumentException("a validation split of " + fraction + " of " + n
                    + (n == 1 ? " sample" : " samples") + " leaves no samples for " + (held < 1 ? "validation" : "training"));
        }
    }
}
