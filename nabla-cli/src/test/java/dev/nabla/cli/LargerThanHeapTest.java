package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image folder whose decoded pixels (375 MiB) are nearly four times the JVM's heap (96 MiB) trains from the command
 * line, through the {@code nabla} launcher with {@code NABLA_JAVA_OPTS=-Xmx96m}: the data is streamed by itself, and
 * the garbage collector's log shows the heap after each collection staying far below the data's size.
 */
class LargerThanHeapTest {

    static final int IMAGES_PER_CLASS = 1000;
    static final int SIDE = 128;
    static final int HEAP_MIB = 96;

    @TempDir
    Path dir;

    @Test
    void trainsOnAnImageFolderNearlyFourTimesTheHeap() throws Exception {
        Path data = dir.resolve("large");
        writeFolder(data);
        long decoded = 4L * 2 * IMAGES_PER_CLASS * 3 * SIDE * SIDE;
        assertTrue(decoded > 3L * HEAP_MIB << 20, "the data is over 3 times the heap: " + (decoded >> 20) + " MiB");

        BoundedHeapTraining run = BoundedHeapTraining.train(dir, HEAP_MIB, List.of("--data", data.toString(),
                "--arch", "avgpool:8,dense:8:relu", "--epochs", "1", "--batch-size", "32", "--val-split", "0.1",
                "--threads", "2", "--out", dir.resolve("large.nabla").toString()));
        assertEquals(true, run.json().get("streamed"));
        assertEquals(1800L, run.json().get("train_samples"));
        assertTrue(run.stderr().contains("Streaming 2,000 images from " + data + " (loaded whole"), run.stderr());
        double valAccuracy = run.firstValAccuracy();
        assertTrue(valAccuracy >= 0.9, "it learned red from blue: " + valAccuracy);

        long live = run.live();
        long maxCapacity = run.capacity();
        int collections = run.collections();
        assertTrue(collections >= 5, "collections while 375 MiB of pixels passed through: " + collections);
        assertTrue(maxCapacity <= (long) HEAP_MIB << 20, "heap within -Xmx: " + (maxCapacity >> 20) + " MiB");
        assertTrue(live < 40L << 20, "live heap stays bounded: at most " + (live >> 20) + " MiB after a collection");
    }

    /** Two classes of 128x128 RGB PNGs: reddish and bluish, each with a random horizontal band. */
    static void writeFolder(Path root) throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        for (String cls : List.of("blue", "red")) {
            Path classDir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < IMAGES_PER_CLASS; i++) {
                int shade = 150 + rng.nextInt(100);
                int[] rgb = cls.equals("red") ? new int[]{shade, 40, 40} : new int[]{40, 40, shade};
                Files.write(classDir.resolve(i + ".png"), png(SIDE, SIDE, rgb, rng.nextInt(SIDE - 8)));
            }
        }
    }

    /** A PNG (8-bit RGB, no filter) of one colour with a white band of 8 rows from {@code band}: fast to write. */
    static byte[] png(int w, int h, int[] rgb, int band) throws IOException {
        byte[] raw = new byte[h * (1 + 3 * w)];
        for (int y = 0; y < h; y++) {
            int row = y * (1 + 3 * w);
            boolean white = y >= band && y < band + 8;
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) raw[row + 1 + 3 * x + c] = (byte) (white ? 255 : rgb[c]);
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) z.write(buf, 0, deflater.deflate(buf));
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", z.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
