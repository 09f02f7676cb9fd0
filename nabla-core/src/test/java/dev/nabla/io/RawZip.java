package dev.nabla.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip files byte by byte, as a hostile tool could: entries whose headers claim any size, and deflated entries
 * of gigabytes of zeros that take about a megabyte per gigabyte on disk (a deflate stream of zeros, flushed at every
 * mebibyte, repeats the same bytes, so it is computed once and written many times).
 */
final class RawZip {

    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int MIB = 1 << 20;

    private record Entry(String name, int method, long crc, long compressedSize, long size, Writer body) {
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds the entries of {@code other} after these. */
    RawZip append(RawZip other) {
        entries.addAll(other.entries);
        return this;
    }

    /** An entry stored as it is, with true headers. */
    RawZip stored(String name, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        entries.add(new Entry(name, STORED, crc.getValue(), data.length, data.length, out -> out.write(data)));
        return this;
    }

    /** A deflated entry that inflates to {@code mib} mebibytes of zeros, with true sizes and CRC in its headers. */
    RawZip zeros(String name, int mib) {
        if (mib < 2) throw new IllegalArgumentException("at least 2 MiB");
        byte[][] parts = zeroStream();
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[MIB];
        for (int i = 0; i < mib; i++) crc.update(zeros);
        long compressed = parts[0].length + (long) (mib - 2) * parts[1].length + parts[2].length;
        entries.add(new Entry(name, DEFLATED, crc.getValue(), compressed, (long) mib * MIB, out -> {
            out.write(parts[0]);
            for (int i = 2; i < mib; i++) out.write(parts[1]);
            out.write(parts[2]);
        }));
        return this;
    }

    /** [the first two mebibytes flushed, each further mebibyte flushed, end of stream]. */
    private static byte[][] zeroStream() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[MIB];
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            d.setInput(zeros);
            chunks.add(drain(d, Deflater.SYNC_FLUSH));
        }
        if (!java.util.Arrays.equals(chunks.get(2), chunks.get(3))) throw new IllegalStateException("deflate of zeros does not repeat");
        d.finish();
        byte[] end = drain(d, Deflater.NO_FLUSH);
        d.end();
        // the first two differ from the steady state while the window fills: they are the head
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(chunks.get(0));
        head.writeBytes(chunks.get(1));
        return new byte[][]{head.toByteArray(), chunks.get(2), end};
    }

    private static byte[] drain(Deflater d, int flush) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 << 10];
        while (true) {
            int n = d.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, n);
            if (flush == Deflater.NO_FLUSH ? d.finished() : n < buf.length) return out.toByteArray();
        }
    }

    void write(Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long offset = 0;
            List<Long> offsets = new ArrayList<>();
            for (Entry e : entries) {
                offsets.add(offset);
                byte[] name = e.name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ByteBuffer h = le(30 + name.length);
                h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) e.method)
                        .putShort((short) 0).putShort((short) 0x21) // 1980-01-01
                        .putInt((int) e.crc).putInt((int) e.compressedSize).putInt((int) e.size)
                        .putShort((short) name.length).putShort((short) 0).put(name);
                out.write(h.array());
                e.body.write(out);
                offset += 30 + name.length + e.compressedSize;
            }
            long cdStart = offset;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                byte[] name = e.name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ByteBuffer c = le(46 + name.length);
                c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) e.method)
                        .putShort((short) 0).putShort((short) 0x21)
                        .putInt((int) e.crc).putInt((int) e.compressedSize).putInt((int) e.size)
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (long) offsets.get(i)).put(name);
                out.write(c.array());
                offset += 46 + name.length;
            }
            ByteBuffer end = le(22);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                    .putShort((short) entries.size()).putInt((int) (offset - cdStart)).putInt((int) cdStart).putShort((short) 0);
            out.write(end.array());
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
