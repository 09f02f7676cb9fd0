package dev.nabla.data;

import java.io.IOException;

/**
 * Decompresses raw Snappy blocks (the format Parquet pages use; Snappy's {@code format_description.txt}), with every
 * length and offset checked against the input and the size the page claims: corrupt bytes are an IOException, never
 * a read or write out of bounds or an allocation of what they claim. Written here because the Snappy libraries for
 * Java use native code or {@code sun.misc.Unsafe}; the format is small.
 */
final class SnappyPages {

    private SnappyPages() {
    }

    /** Decompresses {@code in[offset, offset + length)} into {@code out}, which must be exactly the size it gives. */
    static void decompress(byte[] in, int offset, int length, byte[] out) throws IOException {
        int end = offset + length;
        int p = offset;
        long size = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end || shift > 28) throw new IOException("a Snappy page's length is cut off or too long");
            int b = in[p++] & 0xff;
            size |= (long) (b & 0x7f) << shift;
            if (b < 0x80) break;
        }
        if (size != out.length) throw new IOException("a Snappy page holds " + size + " bytes, but claims " + out.length);
        int o = 0;
        while (p < end) {
            int tag = in[p++] & 0xff;
            int len;
            int distance;
            switch (tag & 3) {
                case 0 -> {
                    len = tag >>> 2;
                    if (len >= 60) {
                        int bytes = len - 59;
                        if (p + bytes > end) throw new IOException("a Snappy literal's length is cut off");
                        len = 0;
                        for (int i = 0; i < bytes; i++) len |= (in[p++] & 0xff) << (8 * i);
                        if (len < 0 || len == Integer.MAX_VALUE) throw new IOException("a Snappy literal is too long");
                    }
                    len++;
                    if (len > end - p || len > out.length - o) throw new IOException("a Snappy literal runs past the page");
                    System.arraycopy(in, p, out, o, len);
                    p += len;
                    o += len;
                    continue;
                }
                case 1 -> {
                    if (p >= end) throw new IOException("a Snappy copy is cut off");
                    len = 4 + ((tag >>> 2) & 7);
                    distance = ((tag >>> 5) << 8) | (in[p++] & 0xff);
                }
                case 2 -> {
                    if (p + 2 > end) throw new IOException("a Snappy copy is cut off");
                    len = (tag >>> 2) + 1;
                    distance = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8;
                    p += 2;
                }
                default -> {
                    if (p + 4 > end) throw new IOException("a Snappy copy is cut off");
                    len = (tag >>> 2) + 1;
                    distance = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff) << 16 | (in[p + 3] & 0xff) << 24;
                    p += 4;
                }
            }
            if (distance <= 0 || distance > o) throw new IOException("a Snappy copy reaches before the page's start");
            if (len > out.length - o) throw new IOException("a Snappy copy runs past the page");
            // copies may overlap what they write (a run): byte by byte
            for (int i = 0; i < len; i++) out[o + i] = out[o + i - distance];
            o += len;
        }
        if (o != out.length) throw new IOException("a Snappy page decompresses to " + o + " bytes, but claims " + out.length);
    }
}
