package dev.nabla.fuzz;

import dev.nabla.data.CsvLoader;
import dev.nabla.data.IdxReader;
import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.io.ModelArchive;
import dev.nabla.io.ModelFile;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of every file reader: seeded mutations of valid CSV, image (PNG, JPEG, BMP, GIF), IDX (plain and gzip) and
 * model files (the raw file, one entry's bytes behind valid checksums, the manifest) must each load or fail with one
 * clear {@link IOException} naming the file (a {@link dev.nabla.data.DataException} or
 * {@link dev.nabla.io.ModelFormatException}): never an unchecked exception, an OutOfMemoryError or a hang. A small
 * seeded harness ({@link Mutator}, {@link FuzzHarness}) rather than Jazzer, which the build does not have; a failure
 * prints its seed and keeps its input under {@code target/fuzz-failures}. {@code -Dnabla.fuzz.iterations=N} runs
 * N inputs per valid file (the default keeps the whole class to seconds).
 */
class ReaderFuzzTest {

    @TempDir
    Path dir;

    private static void assertNoFailures(List<String> failures) {
        assertTrue(failures.isEmpty(), failures.size() + " inputs failed, e.g.:\n"
                + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    // ---------------------------------------------------------------- CSV

    @Test
    void csvFiles() throws Exception {
        List<byte[]> valid = List.of(
                "a,b,label\n1,2,x\n3.5,-4e2,y\n5,6,x\n0,0,y\n".getBytes(StandardCharsets.UTF_8),
                "x1,x2,price\n0.1,2,3.5\n0.2,3,4.5\n0.3,1,2.25\n0.4,5,9\n0.5,4,8\n".getBytes(StandardCharsets.UTF_8),
                "\uFEFF\"col a\", b ,\"lab,el\"\r\n\"1\",2,\"p\"\r\n3,\"4\",\"q\"\"r\"\r\n\r\n5,6,p\r\n".getBytes(StandardCharsets.UTF_8));
        // as a trained model reads it too: columns by name, labels mapped to its classes
        Preprocessing fitted = new Preprocessing("table", Task.CLASSIFICATION, List.of("x", "y"), List.of("a", "b"), "label",
                null, null, 0, 1, null);
        List<String> failures = FuzzHarness.run("csv", dir, "data.csv", valid, FuzzHarness.iterations(400), 11,
                Mutator::mutate, file -> {
                    // both readers run; an unchecked exception from either escapes at once, a clear error after both
                    IOException first = null;
                    try {
                        CsvLoader.load(file, null, true);
                    } catch (IOException e) {
                        first = e;
                    }
                    CsvLoader.loadWith(file, fitted, false);
                    if (first != null) throw first;
                }, true);
        assertNoFailures(failures);
    }

    // ---------------------------------------------------------------- images

    private static byte[] image(String format, int type, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        SplittableRandom rng = new SplittableRandom(w * 31L + h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rng.nextInt(1 << 24));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
        return out.toByteArray();
    }

    @Test
    void imageFiles() throws Exception {
        List<byte[]> valid = List.of(
                image("png", BufferedImage.TYPE_INT_RGB, 6, 5),
                image("png", BufferedImage.TYPE_BYTE_GRAY, 4, 4),
                image("png", BufferedImage.TYPE_USHORT_GRAY, 3, 5),
                image("png", BufferedImage.TYPE_BYTE_INDEXED, 5, 4),
                image("png", BufferedImage.TYPE_INT_ARGB, 4, 3),
                image("jpeg", BufferedImage.TYPE_INT_RGB, 8, 8),
                image("jpeg", BufferedImage.TYPE_BYTE_GRAY, 9, 7),
                image("bmp", BufferedImage.TYPE_INT_RGB, 5, 3),
                image("gif", BufferedImage.TYPE_BYTE_INDEXED, 4, 4));
        Preprocessing rgb = new Preprocessing("image", Task.CLASSIFICATION, List.of("a", "b"), List.of(), null,
                null, null, 0, 1, new int[]{3, 4, 4});
        Preprocessing grey = new Preprocessing("image", Task.CLASSIFICATION, List.of("a", "b"), List.of(), null,
                null, null, 0, 1, new int[]{1, 5, 3}, 255);
        // a mutated header can claim any size; the documented limit, lowered, keeps each decode small and fast
        String before = System.getProperty("nabla.image.maxPixels");
        System.setProperty("nabla.image.maxPixels", "250000");
        try {
            List<String> failures = FuzzHarness.run("image", dir, "img.png", valid, FuzzHarness.iterations(120), 23,
                    Mutator::mutate, file -> {
                        IOException first = null;
                        try {
                            ImageFolderLoader.loadFiles(List.of(file), rgb);
                        } catch (IOException e) {
                            first = e;
                        }
                        ImageFolderLoader.loadFiles(List.of(file), grey);
                        if (first != null) throw first;
                    }, false);
            assertNoFailures(failures);
        } finally {
            if (before == null) System.clearProperty("nabla.image.maxPixels"); else System.setProperty("nabla.image.maxPixels", before);
        }
    }

    // ---------------------------------------------------------------- IDX

    private static byte[] idx(int magic, int[] dims, int seed) {
        int n = 1;
        for (int d : dims) n *= d;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) b.put((byte) rng.nextInt(magic == 0x801 ? 3 : 256));
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void idxFiles() throws Exception {
        byte[] images = idx(0x803, new int[]{3, 4, 5}, 1);
        byte[] labels = idx(0x801, new int[]{7}, 2);
        List<String> failures = new ArrayList<>();
        failures.addAll(FuzzHarness.run("idx-images", dir, "images-idx3-ubyte", List.of(images, gzip(images)),
                FuzzHarness.iterations(400), 31, Mutator::mutate, file -> IdxReader.readImages(file, 255), true));
        failures.addAll(FuzzHarness.run("idx-labels", dir, "labels-idx1-ubyte", List.of(labels, gzip(labels)),
                FuzzHarness.iterations(400), 37, Mutator::mutate, IdxReader::readLabels, true));
        assertNoFailures(failures);
    }

    // ---------------------------------------------------------------- model files

    private byte[] saved(Model model, String name) throws IOException {
        Path f = dir.resolve(name);
        ModelFile.save(model, f);
        return Files.readAllBytes(f);
    }

    private List<byte[]> validModels() throws IOException {
        Sequential table = new Sequential(new Normalization(new float[]{1, 2, 3}, new float[]{1, 0.5f, 2}),
                new Dense(4, Activation.RELU), new BatchNorm(), new Dense(3)).seed(5);
        table.build(3);
        Model tableModel = new Model(table);
        tableModel.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        tableModel.metadata().put("preprocessing", Map.of("kind", "table", "task", "classification",
                "classes", List.of("a", "b", "c"), "feature_names", List.of("x", "y", "z")));
        tableModel.classNames(List.of("a", "b", "c"));

        Tokenizer t = Tokenizer.train(List.of("a good film", "a bad film", "so good"), Tokenizer.Options.defaults());
        Sequential text = new Sequential(new Embedding(t.vocabularySize(), 4), new Flatten(), new Dense(2)).seed(3);
        text.build(new int[]{t.maxLength()});
        Model textModel = new Model(text).tokenizer(t);

        return List.of(saved(tableModel, "table.nabla"), saved(textModel, "text.nabla"),
                Files.readAllBytes(Path.of("src/test/resources/golden/v1/dense_sparse_ce_adam.nabla")));
    }

    /** One entry's bytes mutated, written back with a true manifest and checksums, so the mutation reaches the parsers. */
    private FuzzHarness.Mutation entryMutation() {
        Path scratch = dir.resolve("scratch.nabla");
        return (valid, seed) -> {
            Files.write(scratch, valid);
            Map<String, byte[]> entries = new LinkedHashMap<>(ModelArchive.read(scratch));
            List<String> names = new ArrayList<>(entries.keySet());
            String name = names.get((int) Math.floorMod(seed * 0x9E3779B97F4A7C15L >>> 33, (long) names.size()));
            entries.put(name, Mutator.mutate(entries.get(name), seed));
            return modelZip(entries);
        };
    }

    /** What ModelArchive.write makes of {@code entries} (a true manifest, deflated here), without its fsync. */
    private static byte[] modelZip(Map<String, byte[]> entries) throws IOException {
        Map<String, Object> listed = new LinkedHashMap<>();
        for (var e : entries.entrySet()) {
            try {
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(e.getValue()));
                listed.put(e.getKey(), Map.of("size", (long) e.getValue().length, "sha256", sha));
            } catch (java.security.NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", ModelArchive.FORMAT);
        manifest.put("format_version", ModelArchive.FORMAT_VERSION);
        manifest.put("entries", listed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(ModelArchive.MANIFEST));
            z.write(dev.nabla.io.Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return out.toByteArray();
    }

    /** The manifest's text mutated (sizes, names, version), the entries as they were. */
    private FuzzHarness.Mutation manifestMutation() {
        Path scratch = dir.resolve("scratch.nabla");
        return (valid, seed) -> {
            Files.write(scratch, valid);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (var zip = new java.util.zip.ZipFile(scratch.toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
                }
            }
            entries.put(ModelArchive.MANIFEST, Mutator.mutate(entries.get(ModelArchive.MANIFEST), seed));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (var e : entries.entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(e.getValue());
                }
            }
            return out.toByteArray();
        };
    }

    /**
     * Loads the model and, when it loaded, predicts once on zeros of its input shape: a file that loads must also
     * run, or be refused at load (a prediction's own errors are IllegalArgumentExceptions, which count as failures).
     */
    private static void loadAndPredict(Path file) throws IOException {
        Model m = ModelFile.load(file);
        if (m.network() instanceof Sequential s && s.inputShape() != null) {
            int[] in = s.inputShape();
            int[] batch = new int[in.length + 1];
            batch[0] = 2;
            System.arraycopy(in, 0, batch, 1, in.length);
            m.predict(dev.nabla.tensor.Tensor.zeros(batch));
        }
    }

    @Test
    void modelFiles() throws Exception {
        List<byte[]> valid = validModels();
        List<String> failures = new ArrayList<>();
        failures.addAll(FuzzHarness.run("model-bytes", dir, "m.nabla", valid, FuzzHarness.iterations(80), 41,
                Mutator::mutate, ModelFile::load, true));
        failures.addAll(FuzzHarness.run("model-entry", dir, "m.nabla", valid, FuzzHarness.iterations(300), 43,
                entryMutation(), ReaderFuzzTest::loadAndPredict, true));
        failures.addAll(FuzzHarness.run("model-manifest", dir, "m.nabla", valid, FuzzHarness.iterations(80), 47,
                manifestMutation(), ModelFile::load, true));
        assertNoFailures(failures);
    }
}
