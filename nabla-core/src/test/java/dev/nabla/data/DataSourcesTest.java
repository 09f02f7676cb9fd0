package dev.nabla.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.nabla.data.ImageFolderLoaderTest.gray;
import static dev.nabla.data.ImageFolderLoaderTest.write;
import static org.junit.jupiter.api.Assertions.*;

class DataSourcesTest {

    @TempDir
    Path dir;

    @Test
    void detectsEachKind() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.CSV"), "a,label\n1,x\n2,y\n");
        assertEquals("table", DataSources.detect(csv));
        Path idx = dir.resolve("mnist");
        IdxLoaderTest.dataset(idx, "train", 4, 2, true);
        assertEquals("idx", DataSources.detect(idx));
        assertEquals("idx", DataSources.detect(idx.resolve("train-images-idx3-ubyte.gz")));
        Path images = dir.resolve("images");
        write(gray(2, 2, 1), images.resolve("a/1.png"));
        write(gray(2, 2, 2), images.resolve("b/1.png"));
        assertEquals("image", DataSources.detect(images));

        assertEquals(4, DataSources.load(idx, DataOptions.defaults()).size());
        assertEquals(List.of("a", "b"), DataSources.load(images, DataOptions.defaults()).preprocessing().classes());
        assertEquals(List.of("x", "y"), DataSources.load(csv, DataOptions.defaults()).preprocessing().classes());
    }

    @Test
    void unknownInputIsExplained() throws IOException {
        Path missing = dir.resolve("nothing");
        assertEquals(missing + ": no such file or folder", assertThrows(DataException.class, () -> DataSources.detect(missing)).getMessage());
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hi");
        assertEquals(txt + ": unknown kind of data (expected a .csv or .parquet file, MNIST-style IDX files, or a folder with one sub-folder"
                + " of images per class)", assertThrows(DataException.class, () -> DataSources.detect(txt)).getMessage());
        Path folder = Files.createDirectories(dir.resolve("tables"));
        Files.writeString(folder.resolve("b.csv"), "x");
        Files.writeString(folder.resolve("a.csv"), "x");
        assertEquals(folder + ": is a folder; pass the CSV file itself (found a.csv, b.csv)",
                assertThrows(DataException.class, () -> DataSources.detect(folder)).getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(DataException.class, () -> DataSources.detect(empty)).getMessage().startsWith(empty + ": the folder is empty"));
    }

    @Test
    void loadSplitFitsOnTheTrainingPartAndLoadWithReusesIt() throws IOException {
        StringBuilder sb = new StringBuilder("f,label\n");
        for (int i = 0; i < 20; i++) sb.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        Path csv = Files.writeString(dir.resolve("d.csv"), sb.toString());
        Split s = DataSources.loadSplit(csv, DataOptions.defaults(), 0.25, 5);
        assertEquals(15, s.train().size());
        assertEquals(5, s.validation().size());
        Preprocessing p = s.train().preprocessing();
        double mean = 0;
        for (float v : Split.select(CsvLoader.loadRaw(csv, null, null), Split.indices(20, 0.25, 5)[0]).x().toArray()) mean += v / 15.0;
        assertEquals(mean, p.featureMean()[0], 1e-4);

        Path test = Files.writeString(dir.resolve("test.csv"), "label,f\nodd,3\n");
        LoadedData t = DataSources.loadWith(test, p, true);
        assertEquals((3 - p.featureMean()[0]) / p.featureStd()[0], t.x().item(), 1e-5);
        assertEquals(1f, t.y().item());

        Path images = dir.resolve("images");
        write(gray(2, 2, 1), images.resolve("a/1.png"));
        DataException e = assertThrows(DataException.class, () -> DataSources.loadWith(images, p, true));
        assertEquals(images + ": the model was trained on a CSV table, but this is a folder of images", e.getMessage());
    }

    @Test
    void imageModelsPredictOnLooseImagesAndIdxModelsReadPngs() throws IOException {
        Path train = dir.resolve("train");
        write(gray(3, 3, 0), train.resolve("a/1.png"));
        write(gray(3, 3, 255), train.resolve("b/1.png"));
        Preprocessing p = DataSources.load(train, DataOptions.defaults()).preprocessing();
        Path loose = dir.resolve("loose");
        write(gray(6, 6, 255), loose.resolve("x.png"));
        write(gray(3, 3, 0), loose.resolve("y.bmp"));
        LoadedData d = DataSources.loadWith(loose, p, false);
        assertNull(d.y());
        assertArrayEquals(new int[]{2, 1, 3, 3}, d.x().shape());
        assertEquals(1f, d.x().get(0, 0, 1, 1), 1e-6f);
        assertEquals(1, DataSources.loadWith(loose.resolve("y.bmp"), p, false).size());

        Path idx = dir.resolve("mnist");
        IdxLoaderTest.dataset(idx, "train", 4, 2, false);
        Preprocessing digits = DataSources.load(idx, DataOptions.defaults()).preprocessing();
        Path drawn = write(gray(6, 4, 255), dir.resolve("drawn/seven.png"));
        assertArrayEquals(new int[]{1, 1, 2, 3}, DataSources.loadWith(drawn, digits, false).x().shape());
    }

    @Test
    void optionsParseImageSizes() {
        assertArrayEquals(new int[]{32, 24}, DataOptions.parseImageSize("32x24"));
        assertArrayEquals(new int[]{28, 28}, DataOptions.parseImageSize("28"));
        assertArrayEquals(new int[]{64, 48}, DataOptions.parseImageSize(" 64X48 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataOptions.parseImageSize("big"));
        assertEquals("image size 'big' is not WIDTHxHEIGHT with sides from 1 to 4096 (e.g. 32x32)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataOptions.parseImageSize("0x5"));
        DataOptions o = DataOptions.defaults().withLabelColumn("y").withImageSize(new int[]{8, 8}).withStandardize(false).withTest(true)
                .withTask(Task.REGRESSION);
        assertEquals("y", o.labelColumn());
        assertFalse(o.standardize());
        assertTrue(o.test());
        assertEquals(Task.REGRESSION, o.task());
    }
}
