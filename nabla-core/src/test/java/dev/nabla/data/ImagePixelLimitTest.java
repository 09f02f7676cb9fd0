package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images are refused by the size their header claims, before anything of that size is decoded or allocated. */
class ImagePixelLimitTest {

    @TempDir
    Path dir;

    /** A PNG whose header claims {@code width x height} grey pixels, followed by an empty image-data chunk. */
    static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[]{8, 0, 0, 0, 0}); // 8-bit grey, deflate, no filter method variant, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void anImageOverThePixelLimitIsRefusedFromItsHeader() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), pngClaiming(20_000, 20_000));
        DataException e = assertThrows(DataException.class,
                () -> ImageDecoder.decodeInto(bomb, 1, 28, 28, 1, new float[28 * 28], 0));
        assertTrue(e.getMessage().contains("400,000,000 pixels (20000x20000)") && e.getMessage().contains("nabla.image.maxPixels"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith(bomb.toString()), e.getMessage());
    }

    @Test
    void theLimitIsASystemProperty() throws IOException {
        Path small = Files.write(dir.resolve("small.png"), pngClaiming(100, 100));
        String before = System.getProperty("nabla.image.maxPixels");
        System.setProperty("nabla.image.maxPixels", "9999");
        try {
            DataException e = assertThrows(DataException.class, () -> ImageDecoder.probe(small));
            assertTrue(e.getMessage().contains("10,000 pixels (100x100)") && e.getMessage().contains("9,999"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("nabla.image.maxPixels");
            else System.setProperty("nabla.image.maxPixels", before);
        }
    }
}
