package dev.nabla.bench.djl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST in Java arrays, found where {@code torch_bench.py} looks: {@code $NABLA_FASHION_MNIST},
 * {@code ../shared/data/fashion-mnist} from the repository root, {@code /usr/share/datasets/fashion-mnist}; the four
 * IDX files, gzipped or not. Images as floats in [0, 1], row-major [n, 784]; labels as longs.
 */
final class MnistData {

    static final int PIXELS = 784;

    /** One split: {@code n} images of {@link #PIXELS} floats each, and their labels. */
    record Split(float[] images, long[] labels) {
        int size() {
            return labels.length;
        }
    }

    private MnistData() {
    }

    static Split load(Path repoRoot, String split) throws IOException {
        Path dir = dataDir(repoRoot);
        byte[] images = readIdx(dir, split + "-images-idx3-ubyte", 3);
        byte[] labels = readIdx(dir, split + "-labels-idx1-ubyte", 1);
        float[] x = new float[images.length];
        for (int i = 0; i < x.length; i++) x[i] = (images[i] & 0xff) / 255.0f;
        long[] y = new long[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i] & 0xff;
        if (x.length != y.length * PIXELS) {
            throw new IOException(dir + ": " + split + " has " + x.length + " pixels for " + y.length + " labels");
        }
        return new Split(x, y);
    }

    private static Path dataDir(Path repoRoot) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("NABLA_FASHION_MNIST");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(repoRoot.resolve("../shared/data/fashion-mnist").normalize());
        candidates.add(Path.of("/usr/share/datasets/fashion-mnist"));
        for (Path d : candidates) {
            if (Files.exists(d.resolve("train-images-idx3-ubyte.gz")) || Files.exists(d.resolve("train-images-idx3-ubyte"))) {
                return d;
            }
        }
        throw new IOException("Fashion-MNIST not found (looked in: " + candidates
                + "); set NABLA_FASHION_MNIST to the directory holding the IDX files");
    }

    /** The body of an unsigned-byte IDX file with {@code rank} dimensions. */
    private static byte[] readIdx(Path dir, String name, int rank) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        byte[] raw;
        if (Files.exists(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                raw = in.readAllBytes();
            }
        } else {
            raw = Files.readAllBytes(dir.resolve(name));
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        if (raw.length < 4 || b.getShort(0) != 0 || raw[2] != 0x08 || raw[3] != rank) {
            throw new IOException(dir.resolve(name) + " is not an unsigned-byte IDX file of rank " + rank);
        }
        long count = 1;
        for (int i = 0; i < rank; i++) count *= Integer.toUnsignedLong(b.getInt(4 + 4 * i));
        int header = 4 + 4 * rank;
        if (raw.length - header != count) {
            throw new IOException(dir.resolve(name) + " holds " + (raw.length - header) + " bytes, its header says " + count);
        }
        byte[] body = new byte[(int) count];
        System.arraycopy(raw, header, body, 0, body.length);
        return body;
    }
}
