package dev.nabla.tensorboard;

import dev.nabla.io.proto.ProtoWriter;

/**
 * A histogram of values as TensorBoard's {@code HistogramProto} holds it: the count, minimum, maximum, sum and sum of
 * squares, and equal-width buckets between the minimum and the maximum, each given by its right edge
 * ({@code bucket_limit}) and its count ({@code bucket}), as {@code numpy.histogram(values, bins)} counts them (the
 * last bucket includes the maximum). Non-finite values are left out of the buckets and the sums; {@code num} counts
 * only the finite ones.
 */
public final class Histogram {

    /** The buckets of {@code tf.summary.histogram} by default. */
    public static final int DEFAULT_BUCKETS = 30;

    private final double min;
    private final double max;
    private final double num;
    private final double sum;
    private final double sumSquares;
    private final double[] bucketLimits;
    private final double[] bucketCounts;

    private Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimits,
                      double[] bucketCounts) {
        this.min = min;
        this.max = max;
        this.num = num;
        this.sum = sum;
        this.sumSquares = sumSquares;
        this.bucketLimits = bucketLimits;
        this.bucketCounts = bucketCounts;
    }

    /**
     * The histogram of {@code values} in {@code buckets} equal-width buckets (one bucket when every value is the same,
     * none when there is no finite value).
     */
    public static Histogram of(float[] values, int buckets) {
        if (buckets < 1) throw new IllegalArgumentException("a histogram needs at least 1 bucket, got " + buckets);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (float f : values) {
            if (!Float.isFinite(f)) continue;
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
            sum += f;
            sumSquares += (double) f * f;
            n++;
        }
        if (n == 0) return new Histogram(0, 0, 0, 0, 0, new double[0], new double[0]);
        int k = hi > lo ? buckets : 1;
        double width = (hi - lo) / k;
        double[] limits = new double[k];
        double[] counts = new double[k];
        for (int i = 0; i < k; i++) limits[i] = i == k - 1 ? hi : lo + (i + 1) * width;
        for (float f : values) {
            if (!Float.isFinite(f)) continue;
            int b = k == 1 ? 0 : (int) ((f - lo) / width);
            counts[Math.min(Math.max(b, 0), k - 1)]++;
        }
        return new Histogram(lo, hi, n, sum, sumSquares, limits, counts);
    }

    /** The smallest (finite) value. */
    public double min() {
        return min;
    }

    /** The largest (finite) value. */
    public double max() {
        return max;
    }

    /** How many (finite) values. */
    public double num() {
        return num;
    }

    /** The sum of the (finite) values. */
    public double sum() {
        return sum;
    }

    /** The sum of their squares. */
    public double sumSquares() {
        return sumSquares;
    }

    /** Each bucket's right edge (the last is the maximum). */
    public double[] bucketLimits() {
        return bucketLimits.clone();
    }

    /** Each bucket's count. */
    public double[] bucketCounts() {
        return bucketCounts.clone();
    }

    /** The {@code HistogramProto} message (field numbers of TensorFlow's {@code summary.proto}). */
    ProtoWriter toProto() {
        return new ProtoWriter().float64(1, min).float64(2, max).float64(3, num).float64(4, sum).float64(5, sumSquares)
                .packedDouble(6, bucketLimits).packedDouble(7, bucketCounts);
    }
}
