package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageFolderLoaderTest {

    @TempDir
    Path dir;

    /** A colour image filled with one RGB value. */
    static BufferedImage rgb(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    /** A grey image whose pixel (x, y) is {@code values[y * w + x]}. */
    static BufferedImage gray(int w, int h, int... values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, values.length == 1 ? values[0] : values[y * w + x]);
        return img;
    }

    static Path write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.getFileName().toString().replaceAll(".*\\.", "");
        if (format.equals("jpg")) format = "jpeg";
        assertTrue(ImageIO.write(img, format, file.toFile()), "no ImageIO writer for " + format);
        return file;
    }

    @Test
    void everyFormatLoadsIntoSortedClassesAtTheMostCommonSize() throws IOException {
        Path root = dir.resolve("pets");
        write(rgb(8, 6, 0xFF0000), root.resolve("dog/a.png"));
        write(rgb(8, 6, 0x00FF00), root.resolve("dog/b.JPG"));
        write(rgb(8, 6, 0x0000FF), root.resolve("cat/c.bmp"));
        write(rgb(16, 12, 0xFFFFFF), root.resolve("cat/nested/d.gif"));
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        write(rgb(4, 4, 0), root.resolve("cat/.hidden.png"));
        write(rgb(4, 4, 0), root.resolve(".git/x.png"));

        LoadedData d = ImageFolderLoader.load(root, null);
        Preprocessing p = d.preprocessing();
        assertEquals("image", p.kind());
        assertEquals(Task.CLASSIFICATION, p.task());
        assertEquals(List.of("cat", "dog"), p.classes());
        assertArrayEquals(new int[]{3, 6, 8}, p.imageShape());
        assertArrayEquals(new int[]{4, 3, 6, 8}, d.x().shape());
        assertArrayEquals(new float[]{0, 0, 1, 1}, d.y().toArray());
        // cat/c.bmp is blue, cat/nested/d.gif white (shrunk), dog/a.png red, dog/b.JPG green (lossy)
        assertPixel(d.x(), 0, 0, 0, 1, 0.001f);
        assertPixel(d.x(), 1, 1, 1, 1, 0.001f);
        assertPixel(d.x(), 2, 1, 0, 0, 0.001f);
        assertPixel(d.x(), 3, 0, 1, 0, 0.05f);
    }

    private static void assertPixel(Tensor x, int n, float r, float g, float b, float tol) {
        assertEquals(r, x.get(n, 0, 3, 4), tol);
        assertEquals(g, x.get(n, 1, 3, 4), tol);
        assertEquals(b, x.get(n, 2, 3, 4), tol);
    }

    @Test
    void greyImagesKeepOneChannelAndTheirExactValues() throws IOException {
        Path root = dir.resolve("g");
        write(gray(3, 2, 0, 64, 128, 192, 255, 1), root.resolve("a/1.png"));
        write(gray(3, 2, 128), root.resolve("b/2.bmp"));
        write(gray(3, 2, 50), root.resolve("b/3.gif"));
        LoadedData d = ImageFolderLoader.load(root, null);
        assertArrayEquals(new int[]{1, 2, 3}, d.preprocessing().imageShape());
        float[] v = d.x().toArray();
        float[] first = {0, 64, 128, 192, 255, 1};
        for (int i = 0; i < 6; i++) assertEquals(first[i] / 255f, v[i], 1e-6f, "pixel " + i);
        assertEquals(128 / 255f, v[6], 1e-6f);
        assertEquals(50 / 255f, v[12], 1e-6f);
    }

    @Test
    void greyAndColourMixedGiveThreeChannelsWithGreyRepeated() throws IOException {
        Path root = dir.resolve("m");
        write(gray(2, 2, 51), root.resolve("a/1.png"));
        write(rgb(2, 2, 0x336699), root.resolve("b/2.png"));
        LoadedData d = ImageFolderLoader.load(root, null);
        assertArrayEquals(new int[]{2, 3, 2, 2}, d.x().shape());
        for (int c = 0; c < 3; c++) assertEquals(0.2f, d.x().get(0, c, 1, 1), 1e-6f);
        assertEquals(0x33 / 255f, d.x().get(1, 0, 0, 0), 1e-6f);
        assertEquals(0x66 / 255f, d.x().get(1, 1, 0, 0), 1e-6f);
        assertEquals(0x99 / 255f, d.x().get(1, 2, 0, 0), 1e-6f);
    }

    @Test
    void explicitSizeShrinksByAreaAndEnlargesBilinearly() throws IOException {
        Path root = dir.resolve("s");
        write(gray(4, 4,
                0, 40, 100, 100,
                80, 120, 100, 100,
                0, 0, 255, 255,
                0, 0, 255, 255), root.resolve("a/1.png"));
        write(gray(2, 1, 0, 200), root.resolve("b/2.png"));
        LoadedData d = ImageFolderLoader.load(root, new int[]{2, 2});
        assertArrayEquals(new int[]{1, 2, 2}, d.preprocessing().imageShape());
        float[] v = d.x().toArray();
        assertArrayEquals(new float[]{60 / 255f, 100 / 255f, 0, 1}, new float[]{v[0], v[1], v[2], v[3]}, 1e-5f);
        // 2x1 -> 2x2: rows repeat; columns keep their values at the edges
        assertArrayEquals(new float[]{0, 200 / 255f, 0, 200 / 255f}, new float[]{v[4], v[5], v[6], v[7]}, 1e-5f);

        LoadedData up = ImageFolderLoader.load(root, new int[]{4, 1});
        float[] u = up.x().toArray();
        // the 2x1 image at 4x1: centres at 0.25 and 0.75 of a pixel between the two values
        assertArrayEquals(new float[]{0, 50 / 255f, 150 / 255f, 200 / 255f}, new float[]{u[4], u[5], u[6], u[7]}, 1e-5f);
    }

    @Test
    void symlinkedClassFoldersAreFollowed() throws IOException {
        Path elsewhere = dir.resolve("elsewhere/cats");
        write(gray(2, 2, 7), elsewhere.resolve("1.png"));
        Path root = dir.resolve("linked");
        write(gray(2, 2, 9), root.resolve("dog/1.png"));
        Files.createSymbolicLink(root.resolve("cat"), elsewhere);
        LoadedData d = ImageFolderLoader.load(root, null);
        assertEquals(List.of("cat", "dog"), d.preprocessing().classes());
        assertEquals(7 / 255f, d.x().get(0, 0, 0, 0), 1e-6f);
    }

    @Test
    void largeImagesAreShrunkToFitTheDefaultCap() throws IOException {
        Path root = dir.resolve("big");
        write(gray(300, 150, 9), root.resolve("a/1.png"));
        write(gray(300, 150, 9), root.resolve("b/1.png"));
        LoadedData d = ImageFolderLoader.load(root, null);
        assertArrayEquals(new int[]{1, 64, 128}, d.preprocessing().imageShape());
    }

    @Test
    void loadWithUsesTheTrainedShapeAndClassOrder() throws IOException {
        Path train = dir.resolve("train");
        write(gray(4, 4, 10), train.resolve("ant/1.png"));
        write(gray(4, 4, 20), train.resolve("bee/1.png"));
        write(gray(4, 4, 30), train.resolve("cow/1.png"));
        Preprocessing p = ImageFolderLoader.load(train, null).preprocessing();

        Path test = dir.resolve("test");
        write(rgb(8, 8, 0x808080), test.resolve("cow/1.jpg"));
        write(rgb(2, 2, 0xFF0000), test.resolve("bee/2.png"));
        LoadedData d = ImageFolderLoader.loadWith(test, p);
        assertArrayEquals(new int[]{2, 1, 4, 4}, d.x().shape());
        assertArrayEquals(new float[]{1, 2}, d.y().toArray());
        assertEquals(0.299f, d.x().get(0, 0, 0, 0), 1e-5f);

        write(gray(4, 4, 1), test.resolve("zebra/1.png"));
        DataException e = assertThrows(DataException.class, () -> ImageFolderLoader.loadWith(test, p));
        assertEquals(test.resolve("zebra") + ": the model does not know the class 'zebra' (its classes: ant, bee, cow)", e.getMessage());

        Tensor x = ImageFolderLoader.loadFiles(List.of(test.resolve("cow/1.jpg"), test.resolve("zebra/1.png")), p);
        assertArrayEquals(new int[]{2, 1, 4, 4}, x.shape());
        assertEquals(1 / 255f, x.get(1, 0, 2, 2), 1e-6f);
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such folder", assertThrows(DataException.class, () -> ImageFolderLoader.load(missing, null)).getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": no class sub-folders (expected one folder of images per class)",
                assertThrows(DataException.class, () -> ImageFolderLoader.load(empty, null)).getMessage());

        Path loose = dir.resolve("loose");
        write(gray(2, 2, 1), loose.resolve("1.png"));
        assertTrue(assertThrows(DataException.class, () -> ImageFolderLoader.load(loose, null)).getMessage()
                .startsWith(loose + ": no class sub-folders; put the images in one folder per class"));

        Path one = dir.resolve("one");
        write(gray(2, 2, 1), one.resolve("cat/1.png"));
        assertEquals(one + ": only one class folder ('cat'); at least 2 classes are needed",
                assertThrows(DataException.class, () -> ImageFolderLoader.load(one, null)).getMessage());

        Files.createDirectories(one.resolve("dog"));
        assertEquals(one.resolve("dog") + ": no images (PNG, JPEG, BMP or GIF files) in this class folder",
                assertThrows(DataException.class, () -> ImageFolderLoader.load(one, null)).getMessage());

        Path broken = dir.resolve("broken");
        write(gray(2, 2, 1), broken.resolve("a/1.png"));
        Path bad = broken.resolve("b/bad.png");
        Files.createDirectories(bad.getParent());
        Files.write(bad, new byte[]{1, 2, 3, 4, 5});
        assertEquals(bad + ": not an image in a supported format (PNG, JPEG, BMP or GIF)",
                assertThrows(DataException.class, () -> ImageFolderLoader.load(broken, null)).getMessage());

        // a PNG cut short: the header reads, decoding fails
        byte[] png = Files.readAllBytes(write(rgb(64, 64, 0x123456), dir.resolve("full.png")));
        Files.write(bad, java.util.Arrays.copyOf(png, 60));
        String message = assertThrows(DataException.class, () -> ImageFolderLoader.load(broken, null)).getMessage();
        assertTrue(message.startsWith(bad + ": cannot read the image ("), message);
    }
}
