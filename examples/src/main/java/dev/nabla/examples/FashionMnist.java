package dev.nabla.examples;

import dev.nabla.data.IdxReader;
import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST as the examples use it: 28x28 grey images {@code [N, 1, 28, 28]} with pixels in 0..1, labels 0..9,
 * from the four IDX files ({@code nabla datasets download fashion-mnist --dir DIR} fetches them).
 *
 * @param trainX training images
 * @param trainY training labels
 * @param testX  test images
 * @param testY  test labels
 */
public record FashionMnist(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY) {

    /** Where the examples look when no folder is given: the shared copy next to the repository. */
    public static final String DEFAULT_DIR = "../shared/data/fashion-mnist";

    private static final String[] FILES = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    /** The first {@code train} training and {@code test} test samples (all where there are fewer). */
    public static FashionMnist load(Path dir, int train, int test) throws IOException {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("Fashion-MNIST: " + dir.resolve(f) + " is missing; download the four files with "
                        + "'./nabla datasets download fashion-mnist --dir " + dir + "' or give their folder as the argument");
            }
        }
        Tensor trainX = IdxReader.readImages(dir.resolve(FILES[0]));
        Tensor trainY = IdxReader.readLabels(dir.resolve(FILES[1]));
        Tensor testX = IdxReader.readImages(dir.resolve(FILES[2]));
        Tensor testY = IdxReader.readLabels(dir.resolve(FILES[3]));
        return new FashionMnist(first(trainX, train), first(trainY, train), first(testX, test), first(testY, test));
    }

    private static Tensor first(Tensor t, int n) {
        // a copy, so that the full arrays can be freed
        return n >= t.shape(0) ? t : t.slice(0, n).materialize(true);
    }
}
