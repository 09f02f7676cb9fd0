package dev.nabla.data;

import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads images arranged as one sub-folder per class ({@code dir/cat/1.png}, {@code dir/dog/2.jpg}), like Keras'
 * {@code image_dataset_from_directory}: class names are the sorted folder names, images inside a class folder may sit
 * in nested folders, PNG, JPEG, BMP and GIF are read (hidden files and other files are skipped). Grey images give one
 * channel, colour ones three (RGB; a mix gives three), alpha is dropped. Images are resized to one size, their
 * pixels in {@code [0, 1]} (or {@code [0, 255]}, see {@link Preprocessing#pixelMax}); {@code x} is
 * {@code [N, C, H, W]}, {@code y} the class numbers. Files are decoded on all cores.
 */
public final class ImageFolderLoader {

    /** File name endings read as images. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Without an explicit size, images larger than this on a side are shrunk (keeping their aspect) to fit. */
    public static final int MAX_DEFAULT_SIDE = 128;

    private ImageFolderLoader() {
    }

    /**
     * Loads a training folder, pixels in {@code [0, 1]}.
     *
     * @param sizeWH {@code [width, height]} to resize to; null for the most common size among the images, shrunk to
     *               at most {@value #MAX_DEFAULT_SIDE} a side
     */
    public static LoadedData load(Path dir, int[] sizeWH) throws IOException {
        return load(dir, sizeWH, 1);
    }

    /** As {@link #load(Path, int[])}, pixels from 0 to {@code pixelMax}: 1, or 255 for a model that rescales them. */
    public static LoadedData load(Path dir, int[] sizeWH, int pixelMax) throws IOException {
        return ImageFolderDataset.open(dir, sizeWH, pixelMax).loadAll();
    }

    /**
     * Loads a labelled folder for a trained model: its image shape, pixel range and class order; the folder may hold
     * only some of the classes, but a class folder the model does not know is an error.
     */
    public static LoadedData loadWith(Path dir, Preprocessing fitted) throws IOException {
        return ImageFolderDataset.openWith(dir, fitted).loadAll();
    }

    /**
     * The given image files as {@code [N, C, H, W]} in the model's image shape and pixel range, for predict: with the
     * {@link Preprocessing#of preprocessing} of a model trained by {@code nabla train}, {@code model.predict} of these
     * is what {@code nabla predict} prints.
     */
    public static Tensor loadFiles(List<Path> files, Preprocessing fitted) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("loadFiles: no image files given");
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new DataException(f + ": no such file");
        }
        return decode(files, fitted, null);
    }

    /** Image files under {@code dir} (nested folders included, hidden ones skipped), sorted by path. */
    public static List<Path> listImages(Path dir) throws IOException {
        return FolderFiles.list(dir, ImageFolderLoader::isImageFile);
    }

    /** Whether the file name ends with one of {@link #EXTENSIONS} (any case). */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The non-hidden sub-folders of {@code dir}, sorted by name; an error when there are none. */
    /** {@link #classFolders}, for training: at least 2 of them, or a message naming the one there is. */
    static List<Path> trainingClassFolders(Path dir) throws IOException {
        List<Path> classDirs = classFolders(dir);
        if (classDirs.size() < 2) {
            throw new DataException(dir + ": only one class folder ('" + classDirs.get(0).getFileName()
                    + "'); at least 2 classes are needed");
        }
        return classDirs;
    }

    static List<Path> classFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + (Files.exists(dir) ? ": not a folder" : ": no such folder"));
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        if (dirs.isEmpty()) {
            boolean loose;
            try (Stream<Path> s = Files.list(dir)) {
                loose = s.anyMatch(ImageFolderLoader::isImageFile);
            }
            throw new DataException(dir + ": no class sub-folders" + (loose
                    ? "; put the images in one folder per class (e.g. " + dir.resolve("cat") + "/1.png, " + dir.resolve("dog") + "/2.png)"
                    : " (expected one folder of images per class)"));
        }
        return dirs;
    }


    private static int[] imageShape(Preprocessing fitted) {
        int[] shape = fitted.imageShape();
        if (shape == null || shape.length != 3) throw new IllegalArgumentException("the preprocessing has no image shape [C, H, W]");
        return shape;
    }

    /** The most common width and height; shrunk, keeping the aspect, to at most {@link #MAX_DEFAULT_SIDE} a side. */
    static int[] commonSize(ImageDecoder.Info[] infos) {
        Map<Long, Integer> counts = new HashMap<>();
        long best = 0;
        int bestCount = 0;
        for (ImageDecoder.Info info : infos) {
            long key = ((long) info.width() << 32) | info.height();
            int c = counts.merge(key, 1, Integer::sum);
            // ties go to the larger image, then the wider one, so the choice does not depend on file order
            if (c > bestCount || c == bestCount && area(key) > area(best) || c == bestCount && area(key) == area(best) && key > best) {
                best = key;
                bestCount = c;
            }
        }
        int w = (int) (best >>> 32);
        int h = (int) best;
        int side = Math.max(w, h);
        if (side > MAX_DEFAULT_SIDE) {
            double f = (double) MAX_DEFAULT_SIDE / side;
            w = Math.max(1, (int) Math.round(w * f));
            h = Math.max(1, (int) Math.round(h * f));
        }
        return new int[]{w, h};
    }

    private static long area(long key) {
        return (key >>> 32) * (key & 0xFFFFFFFFL);
    }

    static Tensor decode(List<Path> files, Preprocessing fitted, Path dir) throws IOException {
        int[] shape = imageShape(fitted);
        int n = files.size();
        long per = (long) shape[0] * shape[1] * shape[2];
        if (per * n > Integer.MAX_VALUE - 8) {
            throw new DataException((dir != null ? dir + ": " : "") + n + " images of " + shape[2] + "x" + shape[1] + "x" + shape[0]
                    + " are too many to hold in memory (more than 2^31 values); choose a smaller --image-size");
        }
        HeapLimit.check(dir != null ? dir : files.get(0), 4 * per * n, n + " decoded images");
        float[] data = new float[(int) (per * n)];
        Parallel.forEach(n, i -> ImageDecoder.decodeInto(files.get(i), shape[0], shape[2], shape[1], fitted.pixelMax(), data,
                (int) (i * per)));
        return Tensor.wrap(data, n, shape[0], shape[1], shape[2]);
    }
}
