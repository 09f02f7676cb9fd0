package dev.nabla.data;

import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Rescaling;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.History;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** An image folder decoded batch by batch trains the model that the same folder loaded whole does. */
class ImageFolderDatasetTest {

    @TempDir
    Path dir;

    /** Two classes of 6x5 colour images: reddish and bluish, with noise. */
    Path folder(int perClass) throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        Path root = dir.resolve("colours");
        for (String cls : new String[]{"blue", "red"}) {
            for (int i = 0; i < perClass; i++) {
                int r = cls.equals("red") ? 150 + rng.nextInt(100) : rng.nextInt(100);
                int b = cls.equals("blue") ? 150 + rng.nextInt(100) : rng.nextInt(100);
                ImageFolderLoaderTest.write(ImageFolderLoaderTest.rgb(6, 5, r << 16 | rng.nextInt(256) << 8 | b),
                        root.resolve(cls + "/" + i + ".png"));
            }
        }
        return root;
    }

    static Model model() {
        Model m = new Model(new Sequential(new Rescaling(1 / 255.0, 0), new Flatten(), new Dense(8, Activation.RELU), new Dense(2)).seed(3));
        return m.compile(p -> new Adam(p, 0.01f), new SparseCategoricalCrossEntropy(), new Accuracy());
    }

    @Test
    void readsWhatTheLoaderReads() throws IOException {
        Path root = folder(6);
        ImageFolderDataset streamed = ImageFolderDataset.open(root, null, 255);
        LoadedData whole = ImageFolderLoader.load(root, null, 255);
        assertEquals(whole.size(), streamed.size());
        assertEquals(whole.preprocessing().classes(), streamed.preprocessing().classes());
        assertEquals(4L * 12 * 3 * 5 * 6, streamed.decodedBytes());
        int[] idx = {11, 0, 5};
        var b = streamed.batch(idx);
        assertArrayEquals(whole.x().indexSelect(0, idx).toArray(), b.input().toArray());
        assertArrayEquals(whole.y().indexSelect(0, idx).toArray(), b.targets().toArray());
        assertArrayEquals(whole.x().slice(7, 8).toArray(), streamed.get(7).inputs().get(0));
    }

    @Test
    void trainsTheSameModelAsTheFolderInMemory() throws IOException {
        Path root = folder(20);
        LoadedData whole = ImageFolderLoader.load(root, null, 255);
        int[][] parts = Split.indices(whole.size(), 0.25, 9);
        Split split = Split.unscaled(whole, 0.25, 9);
        FitOptions inMemory = new FitOptions().epochs(3).batchSize(8).seed(4).trainTransform(new ImageAugmentation(true, 1))
                .validationData(split.validation().x(), split.validation().y());
        Model a = model();
        History ha = a.fit(split.train().x(), split.train().y(), inMemory);

        ImageFolderDataset folder = ImageFolderDataset.open(root, null, 255);
        FitOptions streaming = new FitOptions().epochs(3).batchSize(8).seed(4).trainTransform(new ImageAugmentation(true, 1))
                .workers(2).prefetch(3).validationData(folder.subset(parts[1]));
        Model b = model();
        History hb = b.fit(folder.subset(parts[0]), streaming);

        assertEquals(3, hb.size());
        for (int e = 0; e < 3; e++) assertEquals(ha.epochs().get(e), hb.epochs().get(e), "epoch " + (e + 1) + " logs, bit for bit");
        Tensor probe = whole.x();
        assertArrayEquals(a.predict(probe).toArray(), b.predict(probe).toArray(), "the same weights");
        assertEquals(a.evaluate(split.validation().x(), split.validation().y()), b.evaluate(folder.subset(parts[1]), 256));
    }

    @Test
    void aTensorStreamInOrderTrainsLikeTheTensors() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[40 * 30];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 30; j++) x[i * 30 + j] = (float) (rng.nextGaussian() + 100 * y[i]);
        }
        Tensor tx = Tensor.wrap(x, 40, 3, 5, 2);
        Tensor ty = Tensor.wrap(y, 40);
        Model a = model();
        a.fit(tx, ty, new FitOptions().epochs(2).batchSize(6).shuffle(false));
        Model b = model();
        b.fit(dev.nabla.dataset.DataLoaderTestAccess.asStream(new TensorDataset(tx, ty)), new FitOptions().epochs(2).batchSize(6).shuffle(false));
        assertArrayEquals(a.predict(tx).toArray(), b.predict(tx).toArray());
        assertEquals(a.history().epochs(), b.history().epochs());
    }

    @Test
    void aCorruptImageEndsTrainingWithItsName() throws IOException {
        Path root = folder(10);
        Path bad = root.resolve("red/5.png");
        Files.write(bad, new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        // the header is read when the folder is opened: a file cut after a valid header fails only when decoded
        Path cut = root.resolve("blue/3.png");
        byte[] png = Files.readAllBytes(root.resolve("blue/4.png"));
        DataException atOpen = assertThrows(DataException.class, () -> ImageFolderDataset.open(root, null, 255));
        assertTrue(atOpen.getMessage().contains("5.png"), atOpen.getMessage());
        Files.delete(bad);
        // the pixel data (after the signature, IHDR and IDAT's length and type) overwritten: the header still reads
        java.util.Arrays.fill(png, 41, png.length - 12, (byte) 0x55);
        Files.write(cut, png);
        ImageFolderDataset d = ImageFolderDataset.open(root, null, 255);
        Model m = model();
        UncheckedIOException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () ->
                assertThrows(UncheckedIOException.class, () -> m.fit(d, new FitOptions().epochs(1).batchSize(4).workers(2))));
        assertInstanceOf(DataException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith(cut.toString()), e.getCause().getMessage());
    }

    @Test
    void datasetFitsTakeNoSeparateWeights() {
        Dataset d = new TensorDataset(Tensor.zeros(4, 3), Tensor.zeros(4));
        assertThrows(IllegalArgumentException.class, () -> model().fit(d, new FitOptions().sampleWeights(Tensor.ones(4))));
        StreamDataset s = dev.nabla.dataset.DataLoaderTestAccess.asStream(d);
        assertThrows(IllegalArgumentException.class, () -> model().fit(s, new FitOptions().validationSplit(0.5)));
    }
}
