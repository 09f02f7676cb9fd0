package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads MNIST-style IDX data (MNIST, Fashion-MNIST), gzipped or not, from a folder holding
 * {@code train-images-idx3-ubyte(.gz)} and {@code train-labels-idx1-ubyte(.gz)} (or the {@code t10k-*} test files),
 * or from one images file whose labels file lies beside it ({@code images-idx3} in the name becomes
 * {@code labels-idx1}; {@code t10k-images.idx3-ubyte} spellings work too). {@code x} is {@code [N, 1, rows, cols]}
 * in {@code [0, 1]} (or {@code [0, 255]}, see {@link Preprocessing#pixelMax}), {@code y} the labels; the classes are
 * {@code "0"} up to the largest label.
 */
public final class IdxLoader {

    private IdxLoader() {
    }

    /** Loads the training files ({@code test}: the {@code t10k} files) of a folder, or the given images file. */
    public static LoadedData load(Path pathOrDir, boolean test) throws IOException {
        return load(pathOrDir, test, 1);
    }

    /** As {@link #load(Path, boolean)}, pixels from 0 to {@code pixelMax}: 1, or 255 for a model that rescales them. */
    public static LoadedData load(Path pathOrDir, boolean test, int pixelMax) throws IOException {
        Path[] files = locate(pathOrDir, test, true);
        Tensor x = IdxReader.readImages(files[0], pixelMax);
        Tensor y = labels(files, x);
        float max = 0;
        for (float v : y.data()) max = Math.max(max, v);
        int classes = (int) max + 1;
        if (classes < 2) throw new DataException(files[1] + ": every label is 0; classification needs at least 2 classes");
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add(Integer.toString(k));
        int[] shape = {1, x.shape(2), x.shape(3)};
        Preprocessing p = new Preprocessing("idx", Task.CLASSIFICATION, List.copyOf(names), List.of(), null,
                null, null, 0, 1, shape, pixelMax);
        return new LoadedData(x, y, p);
    }

    /**
     * Loads IDX data for a trained model, checking the image size and that every label is one of its classes. With
     * {@code requireLabels} false a missing labels file gives {@code y} null.
     */
    public static LoadedData loadWith(Path pathOrDir, Preprocessing fitted, boolean test, boolean requireLabels) throws IOException {
        Path[] files = locate(pathOrDir, test, requireLabels);
        Tensor x = IdxReader.readImages(files[0], fitted.pixelMax());
        int[] want = fitted.imageShape();
        int[] got = {1, x.shape(2), x.shape(3)};
        if (want != null && !Arrays.equals(want, got)) {
            throw new DataException(files[0] + ": images are " + got[2] + "x" + got[1] + " but the model was trained on "
                    + want[2] + "x" + want[1]);
        }
        if (files[1] == null) return new LoadedData(x, null, fitted);
        Tensor y = labels(files, x);
        float[] v = y.data();
        for (int i = 0; i < v.length; i++) {
            if (v[i] >= fitted.classes().size()) {
                throw new DataException(files[1] + ": label " + (int) v[i] + " of entry " + i + " is not one of the model's "
                        + fitted.classes().size() + " classes");
            }
        }
        return new LoadedData(x, y, fitted);
    }

    /** Whether the file name looks like an IDX file ({@code ...idx3-ubyte}, {@code ...idx1-ubyte}, maybe {@code .gz}). */
    public static boolean isIdxFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.contains("idx3-ubyte") || name.contains("idx1-ubyte");
    }

    /** Whether {@code dir} holds an IDX images file. */
    public static boolean containsIdx(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).contains("idx3-ubyte"));
        }
    }

    private static Tensor labels(Path[] files, Tensor x) throws IOException {
        Tensor y = IdxReader.readLabels(files[1]);
        if (y.shape(0) != x.shape(0)) {
            throw new DataException(files[1] + ": " + y.shape(0) + " labels, but " + files[0].getFileName() + " has "
                    + x.shape(0) + " images");
        }
        return y;
    }

    /** The images file and its labels file (null when it is missing and not required). */
    static Path[] locate(Path pathOrDir, boolean test, boolean requireLabels) throws IOException {
        Path images;
        if (Files.isDirectory(pathOrDir)) {
            String prefix = test ? "t10k" : "train";
            List<Path> found;
            try (Stream<Path> s = Files.list(pathOrDir)) {
                found = s.filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return Files.isRegularFile(p) && n.startsWith(prefix) && n.contains("images") && n.contains("idx3-ubyte");
                }).sorted(Comparator.comparing((Path p) -> p.toString().endsWith(".gz")).thenComparing(Path::toString)).toList();
            }
            // the uncompressed file first: it reads faster when both are there
            if (found.isEmpty()) {
                throw new DataException(pathOrDir + ": no " + prefix + "-images-idx3-ubyte(.gz) file"
                        + (test ? " (the test images)" : " (the training images)"));
            }
            images = found.get(0);
        } else if (Files.isRegularFile(pathOrDir)) {
            String name = pathOrDir.getFileName().toString();
            if (name.contains("labels") && name.contains("idx1")) {
                Path img = withGzOrNot(pathOrDir.resolveSibling(name.replace("labels", "images").replace("idx1", "idx3")));
                if (img == null) {
                    throw new DataException(pathOrDir + ": this is a labels file and its images file ("
                            + name.replace("labels", "images").replace("idx1", "idx3") + ") is not beside it");
                }
                images = img;
            } else {
                images = pathOrDir;
            }
        } else {
            throw new DataException(pathOrDir + ": no such file or folder");
        }
        String name = images.getFileName().toString();
        String labelsName = name.replace("images", "labels").replace("idx3", "idx1");
        Path labels = labelsName.equals(name) ? null : withGzOrNot(images.resolveSibling(labelsName));
        if (labels == null && requireLabels) {
            throw new DataException(images.resolveSibling(labelsName) + ": no such file (the labels for " + images + ")");
        }
        return new Path[]{images, labels};
    }

    /** {@code file} when it exists, else the same name with {@code .gz} added or removed, else null. */
    private static Path withGzOrNot(Path file) {
        if (Files.isRegularFile(file)) return file;
        String n = file.getFileName().toString();
        Path other = file.resolveSibling(n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n + ".gz");
        return Files.isRegularFile(other) ? other : null;
    }
}
