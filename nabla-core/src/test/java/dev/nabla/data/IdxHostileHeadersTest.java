package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IDX files the fuzzer ({@code dev.nabla.fuzz.ReaderFuzzTest}) found mishandled, kept as regressions: dimensions
 * whose product overflows a long (a NegativeArraySizeException, or a tensor shape error), gzip data cut short or with
 * a damaged trailer (a bare EOFException / ZipException without the file's name), images of 0 pixels; and a gzip
 * bomb whose data really inflates towards the 2 GB its header claims, refused before it runs out of memory.
 */
class IdxHostileHeadersTest {

    @TempDir
    Path dir;

    private Path images(String name, int n, int rows, int cols, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).putInt(0x803).putInt(n).putInt(rows).putInt(cols).put(data);
        return Files.write(dir.resolve(name), b.array());
    }

    @Test
    void dimensionsWhoseProductOverflowsAreTooManyToLoad() throws IOException {
        // fuzz seeds 173 and 68: 32000 x 50331648 x 67108864 wraps a long; 16 bits each side of 2^31 goes negative
        for (int[] d : new int[][]{{32000, 50331648, 67108864}, {0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF}, {3, 0x10000, 0x7FFFFFFF}}) {
            Path f = images("big", d[0], d[1], d[2], new byte[60]);
            DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f, 255));
            assertEquals(f + ": " + d[0] + " images of " + d[1] + "x" + d[2] + " are too many to load", e.getMessage());
        }
    }

    @Test
    void imagesOfNoPixelsAreRefused() throws IOException {
        Path f = images("empty", 5, 0, 4, new byte[0]);
        assertEquals(f + ": the IDX header gives images of 0x4 pixels",
                assertThrows(DataException.class, () -> IdxReader.readImages(f)).getMessage());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(gz)) {
            z.write(data);
        }
        return gz.toByteArray();
    }

    @Test
    void damagedGzipDataNamesTheFile() throws IOException {
        byte[] pixels = new byte[60];
        new java.util.SplittableRandom(3).nextBytes(pixels);
        byte[] whole = gzip(ByteBuffer.allocate(16 + 60).putInt(0x803).putInt(3).putInt(4).putInt(5).put(pixels).array());
        // cut in the middle of the data: an EOFException from the inflater, which used to escape without the name
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(whole, whole.length / 2));
        // a stream that ends inside the header, with a damaged trailer: a ZipException while reading the dimensions
        byte[] headerOnly = gzip(ByteBuffer.allocate(8).putInt(0x803).putInt(3).array());
        headerOnly[headerOnly.length - 6] ^= 1;
        Path trailer = Files.write(dir.resolve("trailer.gz"), headerOnly);
        for (Path f : new Path[]{cut, trailer}) {
            DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
            assertTrue(e.getMessage().startsWith(f + ": corrupt or truncated gzip data ("), e.getMessage());
        }
    }

    @Test
    void aGzipBombIsRefusedBeforeItRunsOutOfMemory() throws IOException {
        // 2^31 - 9 labels claimed, and 80 MiB of zeros really there in a file of 80 KB: reading must stop with an
        // error once the data outgrows what the heap can take as floats (the test JVM has 2 GB)
        Path f = dir.resolve("bomb-idx1-ubyte.gz");
        try (OutputStream z = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
            z.write(ByteBuffer.allocate(8).putInt(0x801).putInt(Integer.MAX_VALUE - 9).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 80; i++) z.write(zeros);
        }
        assertTrue(Files.size(f) < 1 << 20);
        long t0 = System.nanoTime();
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().startsWith(f + ": its 2147483638 values need about 10239 MiB to load, more than this JVM's"),
                e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }
}
