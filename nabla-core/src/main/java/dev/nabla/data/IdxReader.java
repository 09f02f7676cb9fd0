package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or not: unsigned-byte images become
 * {@code [N, 1, rows, cols]} floats scaled to {@code [0, 1]}, unsigned-byte labels become {@code [N]} class numbers.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    // the most elements one Java array holds on common JVMs
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Images as {@code [N, 1, rows, cols]}, pixels divided by 255. */
    public static Tensor readImages(Path file) throws IOException {
        return readImages(file, 1);
    }

    /** Images as {@code [N, 1, rows, cols]}, pixels from 0 to {@code pixelMax}: 1 (divided by 255) or 255 (as stored). */
    public static Tensor readImages(Path file, int pixelMax) throws IOException {
        if (pixelMax != 1 && pixelMax != 255) throw new IllegalArgumentException("pixel values run to 1 or to 255, not " + pixelMax);
        try (DataInputStream in = open(file)) {
            int[] dims = header(file, in, 3);
            int n = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            if (n > 0 && (rows == 0 || cols == 0)) {
                throw new DataException(file + ": the IDX header gives images of " + rows + "x" + cols + " pixels");
            }
            // three 31-bit dimensions can overflow even a long: compare step by step
            long pixels = (long) rows * cols;
            if (pixels > MAX_VALUES || (pixels > 0 && n > MAX_VALUES / pixels)) {
                throw new DataException(file + ": " + n + " images of " + rows + "x" + cols + " are too many to load");
            }
            long total = n * pixels;
            byte[] raw = readData(file, in, total);
            float[] values = new float[raw.length];
            if (pixelMax == 255) for (int i = 0; i < raw.length; i++) values[i] = raw[i] & 0xFF;
            else for (int i = 0; i < raw.length; i++) values[i] = (raw[i] & 0xFF) / 255f;
            return Tensor.wrap(values, n, 1, rows, cols);
        } catch (EOFException | ZipException e) {
            throw gzipError(file, e);
        }
    }

    /** Labels as {@code [N]} whole numbers. */
    public static Tensor readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int n = header(file, in, 1)[0];
            if (n > MAX_VALUES) throw new DataException(file + ": " + n + " labels are too many to load");
            byte[] raw = readData(file, in, n);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = raw[i] & 0xFF;
            return Tensor.wrap(labels, n);
        } catch (EOFException | ZipException e) {
            throw gzipError(file, e);
        }
    }

    // a gzip stream cut short or damaged anywhere (the data, its trailer): the file, not a plain I/O error
    private static DataException gzipError(Path file, IOException e) {
        return new DataException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")");
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (!gzip) return new DataInputStream(raw);
        try {
            return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
        } catch (IOException e) {
            raw.close();
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    private static int[] header(Path file, DataInputStream in, int expectedRank) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new DataException(file + ": empty or truncated IDX file");
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
            throw new DataException(file + ": not an IDX file of unsigned-byte " + (expectedRank == 1 ? "labels" : "images")
                    + String.format(" (magic number 0x%08x)", magic));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new DataException(file + ": truncated IDX header");
            }
            if (dims[i] < 0) throw new DataException(file + ": negative dimension " + dims[i] + " in IDX header");
        }
        return dims;
    }

    /**
     * The {@code claimed} bytes of data after the header, read in growing chunks: a header claiming more than the
     * file holds ends in "truncated" having allocated about what the file holds, never what it claims.
     */
    private static byte[] readData(Path file, DataInputStream in, long claimed) throws IOException {
        byte[] buffer = new byte[(int) Math.min(claimed, 1 << 20)];
        int filled = 0;
        try {
            while (filled < claimed) {
                if (filled == buffer.length) {
                    // past 64 MiB the data is really there (a plain file that size, or gzip inflating that far)
                    if (buffer.length >= 1 << 26) HeapLimit.check(file, 5 * claimed, "its " + claimed + " values");
                    buffer = Arrays.copyOf(buffer, (int) Math.min(claimed, 2L * buffer.length));
                }
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    throw new DataException(file + ": truncated IDX file (the header claims " + claimed + " bytes of data, the file holds "
                            + filled + ")");
                }
                filled += read;
            }
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        }
        return buffer;
    }
}
