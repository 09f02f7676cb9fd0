package dev.nabla.data;

import io.airlift.compress.snappy.SnappyCompressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damaged Parquet files: truncated at every kind of place, bytes flipped at random, sizes in the footer and in page
 * headers made huge. Each read either gives a table or a {@link DataException} naming the file; nothing else escapes
 * (no other exception, no OutOfMemoryError from a claimed size, no crash of the JVM running the test).
 */
class ParquetFuzzTest {

    @TempDir
    Path dir;

    private static final DataOptions OPTIONS = DataOptions.defaults().withLabelColumn("label").withIgnore(List.of("id"));

    @Test
    void damagedFilesAreDataErrors() throws Exception {
        int failures = 0;
        int loaded = 0;
        for (String codec : List.of("snappy", "zstd", "gzip", "uncompressed")) {
            Path good = TableDatabases.parquet(dir, codec + ".parquet", 300, 5, codec, 100);
            byte[] bytes = Files.readAllBytes(good);
            SplittableRandom rng = new SplittableRandom(codec.hashCode());
            Path bad = dir.resolve("bad-" + codec + ".parquet");
            for (int trial = 0; trial < 150; trial++) {
                byte[] b;
                if (trial < 40) {
                    // truncations, the footer's end included
                    b = Arrays.copyOf(bytes, trial < 8 ? trial : rng.nextInt(bytes.length));
                } else {
                    b = bytes.clone();
                    int flips = 1 + rng.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        int at = rng.nextInt(b.length);
                        b[at] = (byte) (trial % 3 == 0 ? 0xff : rng.nextInt(256));
                    }
                }
                Files.write(bad, b);
                try {
                    TableLoader.load(new ParquetSource(bad), OPTIONS, null);
                    loaded++;
                } catch (DataException e) {
                    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
                    failures++;
                }
            }
        }
        assertTrue(failures > 300, "most damaged files fail: " + failures + " of " + (failures + loaded));
    }

    /** The footer's length (the 4 bytes before the closing magic) claiming nearly 2 GiB: refused, not allocated. */
    @Test
    void aHugeFooterLengthIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(TableDatabases.parquet(dir, "ok.parquet", 50, 1, "snappy", 100));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 8, Integer.MAX_VALUE - 16);
        Path bad = Files.write(dir.resolve("huge.parquet"), b);
        DataException e = assertThrows(DataException.class, () -> TableLoader.load(new ParquetSource(bad), OPTIONS, null));
        assertTrue(e.getMessage().startsWith(bad + ": not a valid Parquet file"), e.getMessage());
    }

    /** Pages claiming more than a page can be are refused before anything is allocated. */
    @Test
    void aPageClaimingHugeSizesIsRefused() {
        ParquetCodecs codecs = new ParquetCodecs();
        for (var codec : List.of(org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY,
                org.apache.parquet.hadoop.metadata.CompressionCodecName.GZIP,
                org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD)) {
            IOException e = assertThrows(IOException.class, () -> codecs.getDecompressor(codec)
                    .decompress(org.apache.parquet.bytes.BytesInput.from(new byte[]{1, 2, 3}), Integer.MAX_VALUE - 1));
            assertTrue(e.getMessage().contains("claims"), e.getMessage());
        }
    }

    /** Snappy blocks from aircompressor's compressor decompress to their input; damaged ones are IOExceptions. */
    @Test
    void snappyPagesRoundTripAndRefuseDamage() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        SnappyCompressor compressor = new SnappyCompressor();
        int refused = 0;
        for (int t = 0; t < 200; t++) {
            byte[] data = new byte[rng.nextInt(1, 70_000)];
            // runs and repeats (copies), and noise (literals)
            for (int i = 0; i < data.length; i++) data[i] = (byte) (t % 2 == 0 ? rng.nextInt(4) : (i % 97 < 50 ? i % 7 : rng.nextInt(256)));
            byte[] packed = new byte[compressor.maxCompressedLength(data.length)];
            int n = compressor.compress(data, 0, data.length, packed, 0, packed.length);
            byte[] out = new byte[data.length];
            SnappyPages.decompress(packed, 0, n, out);
            assertArrayEquals(data, out);
            byte[] damaged = Arrays.copyOf(packed, n);
            for (int f = 0; f < 4; f++) damaged[rng.nextInt(n)] ^= (byte) (1 + rng.nextInt(255));
            try {
                SnappyPages.decompress(damaged, 0, rng.nextInt(1, n + 1), new byte[data.length]);
            } catch (IOException e) {
                refused++;
            }
        }
        assertTrue(refused > 100, "damaged blocks refused: " + refused);
        assertThrows(IOException.class, () -> SnappyPages.decompress(new byte[]{5, 0, 'a'}, 0, 3, new byte[5]));
        assertThrows(IOException.class, () -> SnappyPages.decompress(new byte[]{2, 0, 'a', 1 | (1 << 2), 9}, 0, 5, new byte[2]));
    }
}
