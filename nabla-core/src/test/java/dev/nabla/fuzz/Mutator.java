package dev.nabla.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutations of valid files, the kinds a fuzzer tries first: flipped bits, interesting bytes, truncation,
 * inserted, deleted and repeated bytes, and large or negative numbers written into headers, as 32-bit integers of
 * either byte order and as decimal text (for JSON, CSV and safetensors headers). One seed gives one input, so any
 * failure is reproduced from the seed alone.
 */
final class Mutator {

    private static final int[] BIG_INTS = {0, -1, 1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x10000, 1 << 20, 1 << 30, 46341};
    private static final String[] BIG_TEXT = {"0", "-1", "2147483647", "2147483648", "4294967296", "99999999999999999999",
            "1e308", "-1e308", "1e-400", "NaN", "-0", "65536", "3.5"};

    private Mutator() {
    }

    /** One to four mutations of {@code valid}, chosen by {@code seed}. */
    static byte[] mutate(byte[] valid, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] b = valid;
        int steps = 1 + rng.nextInt(4);
        for (int s = 0; s < steps; s++) b = once(b, rng);
        return b;
    }

    private static byte[] once(byte[] b, SplittableRandom rng) {
        if (b.length == 0) return new byte[]{(byte) rng.nextInt(256)};
        // positions near the start are headers in every format here; favour them
        int pos = rng.nextInt(4) == 0 ? rng.nextInt(Math.min(b.length, 64)) : rng.nextInt(b.length);
        switch (rng.nextInt(9)) {
            case 0 -> {
                b = b.clone();
                b[pos] ^= (byte) (1 << rng.nextInt(8));
            }
            case 1 -> {
                b = b.clone();
                b[pos] = (byte) new int[]{0, 0xFF, 0x7F, 0x80, '"', ',', '\n', '{', '['}[rng.nextInt(9)];
            }
            case 2 -> b = Arrays.copyOf(b, pos);
            case 3 -> {
                byte[] ins = new byte[1 + rng.nextInt(16)];
                for (int i = 0; i < ins.length; i++) ins[i] = (byte) rng.nextInt(256);
                b = splice(b, pos, 0, ins);
            }
            case 4 -> b = splice(b, pos, Math.min(b.length - pos, 1 + rng.nextInt(32)), new byte[0]);
            case 5 -> {
                int len = Math.min(b.length - pos, 1 + rng.nextInt(64));
                b = splice(b, pos, 0, Arrays.copyOfRange(b, pos, pos + len));
            }
            case 6, 7 -> b = bigInt(b, pos, rng);
            default -> b = bigText(b, rng);
        }
        return b;
    }

    private static byte[] bigInt(byte[] b, int pos, SplittableRandom rng) {
        if (b.length < 4) return b;
        b = b.clone();
        int at = Math.min(pos, b.length - 4);
        int v = BIG_INTS[rng.nextInt(BIG_INTS.length)];
        boolean bigEndian = rng.nextBoolean();
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (bigEndian ? v >>> (24 - 8 * i) : v >>> (8 * i));
        return b;
    }

    /** Replaces a run of decimal digits (a number in a text header) with a large, negative or odd number. */
    private static byte[] bigText(byte[] b, SplittableRandom rng) {
        int start = rng.nextInt(b.length);
        int i = start;
        while (i < b.length && (b[i] < '0' || b[i] > '9')) i++;
        if (i == b.length) return b;
        int end = i;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') end++;
        return splice(b, i, end - i, BIG_TEXT[rng.nextInt(BIG_TEXT.length)].getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
