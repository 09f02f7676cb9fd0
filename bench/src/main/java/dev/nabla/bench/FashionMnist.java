package dev.nabla.bench;

import dev.nabla.data.IdxReader;
import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST for the training workloads, found where {@code torch_bench.py} looks: {@code $NABLA_FASHION_MNIST},
 * {@code ../shared/data/fashion-mnist} relative to the repository root, or {@code /usr/share/datasets/fashion-mnist}.
 * Images are {@code [N, 1, 28, 28]} floats in [0, 1] (as {@link IdxReader} reads them), labels {@code [N]}.
 */
final class FashionMnist {

    /** One split: images {@code [N, 1, 28, 28]} and labels {@code [N]}. */
    record Split(Tensor images, Tensor labels) {

        /** The images as {@code [N, 784]} rows, for the MLP. */
        Tensor flat() {
            return images.reshape(images.shape(0), images.shape(1) * images.shape(2) * images.shape(3));
        }
    }

    private FashionMnist() {
    }

    static Split train() throws IOException {
        return split("train");
    }

    static Split test() throws IOException {
        return split("t10k");
    }

    private static Split split(String prefix) throws IOException {
        Path dir = directory();
        return new Split(IdxReader.readImages(file(dir, prefix + "-images-idx3-ubyte")),
                IdxReader.readLabels(file(dir, prefix + "-labels-idx1-ubyte")));
    }

    /** {@code name.gz} when it exists, else {@code name}. */
    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(gz) ? gz : dir.resolve(name);
    }

    static Path directory() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("NABLA_FASHION_MNIST");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(Paths.repoRoot().resolve("../shared/data/fashion-mnist"));
        candidates.add(Path.of("/usr/share/datasets/fashion-mnist"));
        for (Path d : candidates) {
            if (Files.exists(d.resolve("train-images-idx3-ubyte.gz")) || Files.exists(d.resolve("train-images-idx3-ubyte"))) {
                return d.normalize();
            }
        }
        StringBuilder looked = new StringBuilder();
        for (Path d : candidates) looked.append(looked.isEmpty() ? "" : ", ").append(d);
        throw new IOException("Fashion-MNIST not found (looked in: " + looked
                + "); set NABLA_FASHION_MNIST to the directory holding the IDX files");
    }
}
