package dev.nabla.serve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The flat array of plain decimals in a v2 {@code infer} body ({@link InferBody}), read eight bytes at a time: the
 * length of a run of digits from the bytes that are not digits, and its value by three multiplications (the SWAR
 * method of simdjson's {@code parse_eight_digits_unrolled}), so that neither depends on a branch per digit. The
 * numbers are those of the byte-by-byte scanner before it, bit for bit: at most 15 significant digits (18 in all)
 * and 22 after the point, an integer below 2^53 divided by an exact power of ten, one correctly rounded operation,
 * hence {@code Double.parseDouble}'s double. (Not {@code Float.parseFloat}'s float: a table model's preprocessing
 * reads a cell as a double, as from a CSV file, and rounding the decimal to a float first could differ in the last
 * bit of the model's input.)
 *
 * <p>Why: measured on the 784 numbers of {@code bench/run serve}'s row (thread CPU time, paired runs on a loaded
 * machine), the byte-by-byte scan took 8.5-10.5 µs and this one 5.3-6.0 µs; with the commas counted a word at a time
 * too, {@link InferBody#read} went from 17.4-18.7 to 8.1-10.5 µs (docs/serving.md).
 */
final class DecimalScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    /** Most digits after the point: 10^22 is the largest power of ten a double holds exactly. */
    private static final int MAX_SCALE = 22;
    private static final double[] POWERS_OF_TEN = new double[MAX_SCALE + 1];
    private static final long[] LONG_POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    /** 10^15: the digits' integer stays below it, so below 2^53 and exact. */
    private static final long LIMIT = 1_000_000_000_000_000L;

    static {
        double p = 1;
        for (int i = 0; i <= MAX_SCALE; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private DecimalScan() {
    }

    /**
     * The index of the first {@code ]} at or after {@code from} ({@code b.length} where there is none) in the low 32
     * bits, and the number of commas before it in the high 32.
     */
    static long bracketAndCommas(byte[] b, int from) {
        int i = from;
        long commas = 0;
        for (; i <= b.length - 8; i += 8) {
            long v = (long) LONGS.get(b, i);
            long close = zeroBytes(v ^ (ONES * ']'));
            long comma = zeroBytes(v ^ (ONES * ','));
            if (close != 0) {
                // the commas in the bytes before the bracket's: the bits below its high bit
                commas += Long.bitCount(comma & ((close & -close) - 1));
                return commas << 32 | (i + (Long.numberOfTrailingZeros(close) >>> 3));
            }
            commas += Long.bitCount(comma);
        }
        for (; i < b.length && b[i] != ']'; i++) {
            if (b[i] == ',') commas++;
        }
        return commas << 32 | i;
    }

    /** The high bit of every byte of {@code x} that is zero, and of no other (exact, unlike the shorter test). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /**
     * How many of the 8 bytes of {@code v}, from the lowest (the first in the body), are ASCII digits before the first
     * that is not. A byte below a non-digit neither carries nor borrows into it, so the first one is found exactly.
     */
    private static int digitRun(long v) {
        long notDigit = ((v + ONES * (0x80 - ':')) | (v - ONES * '0')) & HIGH;
        return Long.numberOfTrailingZeros(notDigit) >>> 3;
    }

    /** The value of 8 ASCII digits, the first in the lowest byte (a zero byte counts as the digit 0). */
    private static long eightDigits(long v) {
        v = (v & 0x0F0F0F0F0F0F0F0FL) * (10 * 256 + 1) >>> 8;
        v = (v & 0x00FF00FF00FF00FFL) * (100 * 65536 + 1) >>> 16;
        return (v & 0x0000FFFF0000FFFFL) * (10000L * (1L << 32) + 1) >>> 32;
    }

    /**
     * Reads plain decimals separated by commas (and spaces) from {@code at} up to {@code close}, the array's first
     * {@code ]}, into {@code out}: how many; -1 for anything it does not take (then Jackson reads the body).
     */
    static int scan(byte[] b, int at, int close, double[] out) {
        int k = 0;
        at = skipSpace(b, at);
        if (at == close) return 0;
        int last = b.length - 8; // the last index 8 bytes can be read from
        while (true) {
            if (k == out.length) return -1;
            boolean negative = b[at] == '-';
            if (negative) at++;
            int start = at;
            long digits = 0;
            int first = b[at] - '0';
            // a run longer than 18 digits wraps the long; it is refused below by its length
            if (first >= 0 && first <= 9 && b[at + 1] == '.') {
                // the usual FP32 value, one digit before the point: no word to read (at + 1 <= close)
                digits = first;
                at++;
            } else while (true) {
                if (at > last) {
                    int d;
                    // the bracket at close (< b.length) stops the loop
                    while ((d = b[at] - '0') >= 0 && d <= 9) {
                        digits = digits * 10 + d;
                        at++;
                    }
                    break;
                }
                long v = (long) LONGS.get(b, at);
                int n = digitRun(v);
                if (n == 0) break;
                digits = digits * LONG_POWERS[n] + eightDigits(v << (8 * (8 - n)));
                at += n;
                if (n < 8) break;
            }
            int whole = at - start;
            if (whole == 0 || (whole > 1 && b[start] == '0')) return -1; // JSON has no leading zeros
            int scale = 0;
            if (b[at] == '.') {
                int fraction = ++at;
                while (true) {
                    if (at > last) {
                        int d;
                        while ((d = b[at] - '0') >= 0 && d <= 9) {
                            digits = digits * 10 + d;
                            at++;
                        }
                        break;
                    }
                    long v = (long) LONGS.get(b, at);
                    int n = digitRun(v);
                    if (n == 0) break;
                    digits = digits * LONG_POWERS[n] + eightDigits(v << (8 * (8 - n)));
                    at += n;
                    if (n < 8) break;
                }
                scale = at - fraction;
                if (scale == 0 || scale > MAX_SCALE) return -1;
            }
            // at most 18 digits cannot overflow; below 10^15 is at most 15 significant ones
            if (whole + scale > 18 || digits >= LIMIT) return -1;
            if (scale == 0) {
                out[k++] = negative ? -digits : digits; // an integer, as Jackson reads it: -0 is 0
            } else {
                double v = digits / POWERS_OF_TEN[scale];
                out[k++] = negative ? -v : v;
            }
            if (b[at] != ',') {
                at = skipSpace(b, at);
                if (at == close) return k;
                if (b[at] != ',') return -1;
            }
            at = skipSpace(b, at + 1);
        }
    }

    static int skipSpace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
        return i;
    }
}
