package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MNIST-style IDX folders, and datasets download. */
class IdxAndDatasetsTest {

    /** Writes {@code prefix}-images/labels IDX files (gzipped) of 6x6 images: class 0 bright left half, 1 right half. */
    private static void idx(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream im = new DataOutputStream(images); DataOutputStream lb = new DataOutputStream(labels)) {
            im.writeInt(0x0803);
            im.writeInt(n);
            im.writeInt(6);
            im.writeInt(6);
            lb.writeInt(0x0801);
            lb.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % 2;
                lb.writeByte(label);
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) im.writeByte((x < 3) == (label == 0) ? 200 + rng.nextInt(50) : rng.nextInt(50));
                }
            }
        }
        gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images.toByteArray());
        gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels.toByteArray());
    }

    private static void gzip(Path file, byte[] bytes) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }

    @Test
    void trainsOnIdxFolderAndPredictsPng(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("halves"));
        idx(data, "train", 60, 1);
        idx(data, "t10k", 20, 2);
        Path model = dir.resolve("halves.nabla");
        Map<String, Object> j = nabla("train", "--data", data, "--test", data, "--arch", "dense:16:relu", "--epochs", 8,
                "--lr", 0.01, "--batch-size", 8, "--out", model, "--json").json();
        assertEquals(List.of("0", "1"), j.get("classes"));
        assertEquals(20L, j.get("test_samples"), "--test on an IDX folder reads its t10k files");
        assertTrue(Json.asDouble(Json.asObject(j.get("test"), "test").get("accuracy"), "accuracy") >= 0.9, j.toString());

        BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 6; y++) for (int x = 3; x < 6; x++) img.getRaster().setSample(x, y, 0, 230);
        Path png = dir.resolve("right.png");
        ImageIO.write(img, "png", png.toFile());
        Map<String, Object> p = nabla("predict", "--model", model, png, "--json").json();
        assertEquals("1", Json.asObject(Json.asArray(p.get("predictions"), "p").get(0), "p").get("label"));
    }

    @Test
    void downloadCopiesFromALocalMirror(@TempDir Path dir) {
        Path shared = Path.of("/work/shared/data/fashion-mnist");
        assumeTrue(Files.isRegularFile(shared.resolve("t10k-labels-idx1-ubyte.gz")), "needs the shared Fashion-MNIST copy");
        Path target = dir.resolve("fashion");
        CliTestSupport.Run r = nabla("datasets", "download", "fashion-mnist", "--dir", target, "--from", shared);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 files"), r.out());
        assertTrue(Files.isRegularFile(target.resolve("train-images-idx3-ubyte.gz")));
        assertTrue(r.err().contains("checksum ok"), r.err());
        // running it again is harmless
        CliTestSupport.Run again = nabla("datasets", "download", "fashion-mnist", "--dir", target, "--from", shared);
        assertEquals(0, again.code(), again.err());
    }
}
