package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxLoaderTest {

    @TempDir
    Path dir;

    /** IDX bytes: images (rank 3) when {@code rows > 0}, else labels (rank 1). */
    static byte[] idx(int n, int rows, int cols, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(rows > 0 ? 0x803 : 0x801);
        out.writeInt(n);
        if (rows > 0) {
            out.writeInt(rows);
            out.writeInt(cols);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    /** {@code n} images of 2x3 whose pixels are {@code i * 10 + p}, labels {@code i % classes}. */
    static void dataset(Path dir, String prefix, int n, int classes, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 6];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 6; p++) pixels[i * 6 + p] = (byte) (i * 10 + p);
            labels[i] = (byte) (i % classes);
        }
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + gz), idx(n, 2, 3, pixels), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + gz), idx(n, 0, 0, labels), gzip);
    }

    @Test
    void folderWithGzippedTrainingAndPlainTestFiles() throws IOException {
        dataset(dir, "train", 5, 3, true);
        dataset(dir, "t10k", 4, 2, false);
        LoadedData train = IdxLoader.load(dir, false);
        assertArrayEquals(new int[]{5, 1, 2, 3}, train.x().shape());
        assertArrayEquals(new float[]{0, 1, 2, 0, 1}, train.y().toArray());
        assertEquals(12 / 255f, train.x().get(1, 0, 0, 2), 1e-7f);
        Preprocessing p = train.preprocessing();
        assertEquals("idx", p.kind());
        assertEquals(List.of("0", "1", "2"), p.classes());
        assertArrayEquals(new int[]{1, 2, 3}, p.imageShape());

        LoadedData test = IdxLoader.load(dir, true);
        assertEquals(4, test.size());
        assertEquals(List.of("0", "1"), test.preprocessing().classes());
        LoadedData with = IdxLoader.loadWith(dir, p, true, true);
        assertSame(p, with.preprocessing());
        assertArrayEquals(new float[]{0, 1, 0, 1}, with.y().toArray());
    }

    @Test
    void anImagesFileFindsItsLabelsBesideIt() throws IOException {
        dataset(dir, "t10k", 3, 2, false);
        LoadedData d = IdxLoader.load(dir.resolve("t10k-images-idx3-ubyte"), false);
        assertEquals(3, d.size());
        LoadedData fromLabels = IdxLoader.load(dir.resolve("t10k-labels-idx1-ubyte"), false);
        assertEquals(3, fromLabels.size());

        // the dotted spelling of some copies, images plain and labels gzipped
        write(dir.resolve("x/train-images.idx3-ubyte"), idx(2, 1, 1, new byte[]{0, (byte) 255}), false);
        write(dir.resolve("x/train-labels.idx1-ubyte.gz"), idx(2, 0, 0, new byte[]{1, 0}), true);
        LoadedData dotted = IdxLoader.load(dir.resolve("x/train-images.idx3-ubyte"), false);
        assertArrayEquals(new float[]{0, 1}, dotted.x().toArray());
        assertArrayEquals(new float[]{1, 0}, dotted.y().toArray());
    }

    @Test
    void predictNeedsNoLabelsButChecksTheImageSize() throws IOException {
        dataset(dir, "train", 4, 2, false);
        Preprocessing p = IdxLoader.load(dir, false).preprocessing();
        Path lone = write(dir.resolve("new/t10k-images-idx3-ubyte"), idx(1, 2, 3, new byte[6]), false);
        LoadedData d = IdxLoader.loadWith(lone, p, false, false);
        assertNull(d.y());
        assertEquals(1, d.size());

        Path other = write(dir.resolve("odd/t10k-images-idx3-ubyte"), idx(1, 3, 3, new byte[9]), false);
        DataException e = assertThrows(DataException.class, () -> IdxLoader.loadWith(other, p, false, false));
        assertEquals(other + ": images are 3x3 but the model was trained on 3x2", e.getMessage());
    }

    @Test
    void problemsAreNamed() throws IOException {
        Path none = Files.createDirectories(dir.resolve("none"));
        assertEquals(none + ": no t10k-images-idx3-ubyte(.gz) file (the test images)",
                assertThrows(DataException.class, () -> IdxLoader.load(none, true)).getMessage());

        Path lonely = write(dir.resolve("lonely/train-images-idx3-ubyte.gz"), idx(1, 1, 1, new byte[1]), true);
        assertEquals(dir.resolve("lonely/train-labels-idx1-ubyte.gz") + ": no such file (the labels for " + lonely + ")",
                assertThrows(DataException.class, () -> IdxLoader.load(lonely.getParent(), false)).getMessage());

        Path mismatch = dir.resolve("mismatch");
        write(mismatch.resolve("train-images-idx3-ubyte"), idx(2, 1, 1, new byte[2]), false);
        write(mismatch.resolve("train-labels-idx1-ubyte"), idx(3, 0, 0, new byte[]{0, 1, 2}), false);
        assertEquals(mismatch.resolve("train-labels-idx1-ubyte") + ": 3 labels, but train-images-idx3-ubyte has 2 images",
                assertThrows(DataException.class, () -> IdxLoader.load(mismatch, false)).getMessage());

        Path truncated = dir.resolve("truncated");
        write(truncated.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(idx(2, 2, 2, new byte[8]), 20), false);
        write(truncated.resolve("train-labels-idx1-ubyte"), idx(2, 0, 0, new byte[]{0, 1}), false);
        assertEquals(truncated.resolve("train-images-idx3-ubyte") + ": truncated IDX file (the header claims 8 bytes of data,"
                + " the file holds 4)", assertThrows(DataException.class, () -> IdxLoader.load(truncated, false)).getMessage());

        // a header claiming 2^31 - 9 labels over 10 bytes: refused as truncated, without allocating 2 GB first
        for (boolean gzip : new boolean[]{false, true}) {
            Path huge = write(dir.resolve("huge" + gzip + "/train-labels-idx1-ubyte" + (gzip ? ".gz" : "")),
                    idx(Integer.MAX_VALUE - 9, 0, 0, new byte[10]), gzip);
            assertEquals(huge + ": truncated IDX file (the header claims 2147483638 bytes of data, the file holds 10)",
                    assertThrows(DataException.class, () -> IdxReader.readLabels(huge)).getMessage());
        }

        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such file or folder", assertThrows(DataException.class, () -> IdxLoader.load(missing, false)).getMessage());
    }

    @Test
    void sharedFashionMnist() throws IOException {
        Path shared = repoRoot().getParent().resolve("shared/data/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(shared), "no shared Fashion-MNIST at " + shared);
        // the test files through the loader; the 60,000 training images would only make the test slower
        LoadedData test = IdxLoader.load(shared, true);
        assertArrayEquals(new int[]{10000, 1, 28, 28}, test.x().shape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), test.preprocessing().classes());
        assertArrayEquals(new int[]{1, 28, 28}, test.preprocessing().imageShape());
        assertArrayEquals(new float[]{9, 2, 1, 1, 6}, java.util.Arrays.copyOf(test.y().data(), 5));
        Tensor first = test.x().slice(0, 1);
        assertEquals(33456 / 255.0, first.sum().item(), 1e-2);

        float[] y = IdxReader.readLabels(shared.resolve("train-labels-idx1-ubyte.gz")).data();
        assertArrayEquals(new float[]{9, 0, 0, 3, 0}, java.util.Arrays.copyOf(y, 5));
        int[] counts = new int[10];
        for (float v : y) counts[(int) v]++;
        for (int c : counts) assertEquals(6000, c);
        assertEquals(10000, DataSources.loadWith(shared, test.preprocessing(), true).size());
    }

    /** The folder holding the project's top-level pom.xml (tests run in nabla-core). */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("nabla-core")) && Files.isRegularFile(p.resolve("pom.xml")))) p = p.getParent();
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
