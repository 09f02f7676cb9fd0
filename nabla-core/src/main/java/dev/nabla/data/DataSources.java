package dev.nabla.data;

import dev.nabla.text.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One entry point for every kind of data the {@code nabla} command reads, told apart by the path: a {@code .csv} file
 * or {@code .parquet} file, or a {@code jdbc:} URL, is a table ({@link TableLoader}, {@link TableSources}); IDX files, or a folder holding them, are MNIST-style data ({@link IdxLoader}); a
 * folder of class sub-folders is an image set ({@link ImageFolderLoader}), or a text set when they hold {@code .txt}
 * files ({@link TextFolderLoader}); a CSV read with a text column is a text set too ({@link TextCsvLoader}). Texts
 * need a {@link Tokenizer} to become tensors: {@link #loadTexts} reads them raw, {@link #loadTextsWith} encodes them.
 *
 * <p>For training use {@link #loadSplit}: it holds out validation samples at random and fits table standardisation on
 * the training part only. {@link #load} fits on all samples (for training without validation data).
 */
public final class DataSources {

    private DataSources() {
    }

    /**
     * {@code "table"}, {@code "idx"}, {@code "image"} or {@code "text"} (class folders whose first data file is a
     * {@code .txt} file) for the data at {@code path}; a DataException when it is none.
     */
    public static String detect(Path path) throws IOException {
        if (TableSources.isDatabase(path.toString())) return "table";
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv") || ParquetSource.accepts(path)) return "table";
            if (IdxLoader.isIdxFile(path)) return "idx";
            if (ImageFolderLoader.isImageFile(path)) {
                throw new DataException(path + ": a single image cannot be training data; pass the folder that holds"
                        + " one sub-folder of images per class");
            }
            throw new DataException(path + ": unknown kind of data (expected a .csv or .parquet file, MNIST-style IDX files,"
                    + " or a folder with one sub-folder of images per class)");
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new DataException(path + ": not a regular file or folder (a device, FIFO or socket); give a data file or folder");
        }
        if (!Files.isDirectory(path)) throw new DataException(path + ": no such file or folder");
        if (IdxLoader.containsIdx(path)) return "idx";
        List<Path> entries;
        try (Stream<Path> s = Files.list(path)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (entries.stream().anyMatch(Files::isDirectory)) return TextFolderLoader.holdsTexts(path) ? "text" : "image";
        List<String> csvs = entries.stream().map(p -> p.getFileName().toString())
                .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".csv")).toList();
        if (!csvs.isEmpty()) {
            throw new DataException(path + ": is a folder; pass the CSV file itself (found " + String.join(", ", csvs) + ")");
        }
        if (entries.stream().anyMatch(TextFolderLoader::isTextFile)) {
            throw new DataException(path + ": no class sub-folders; put the texts in one folder per class (e.g. "
                    + path.resolve("positive") + "/1.txt, " + path.resolve("negative") + "/2.txt)");
        }
        if (entries.stream().anyMatch(ImageFolderLoader::isImageFile)) {
            throw new DataException(path + ": no class sub-folders; put the images in one folder per class (e.g. "
                    + path.resolve("cat") + "/1.png, " + path.resolve("dog") + "/2.png)");
        }
        throw new DataException(path + ": " + (entries.isEmpty() ? "the folder is empty" : "no data found")
                + " (expected a .csv or .parquet file, MNIST-style IDX files, or one sub-folder of images or .txt files per class)");
    }

    /** All samples at {@code path}, table standardisation fitted on all of them. */
    public static LoadedData load(Path path, DataOptions opts) throws IOException {
        return Standardizer.fit(loadRaw(path, opts), null, opts.standardize());
    }

    /**
     * All samples at {@code path}, split into training and validation parts (see {@link Split#of}); table
     * standardisation is fitted on the training part. A fraction of 0 gives no validation part.
     */
    public static Split loadSplit(Path path, DataOptions opts, double validationFraction, long seed) throws IOException {
        return Split.of(loadRaw(path, opts), validationFraction, seed, opts.standardize());
    }

    /** All samples at {@code path} without table standardisation (fit it with {@link Standardizer} or {@link Split}). */
    public static LoadedData loadRaw(Path path, DataOptions opts) throws IOException {
        return switch (detect(path)) {
            case "table" -> TableLoader.load(table(path, opts.csv()), opts, null);
            case "idx" -> IdxLoader.load(path, opts.test(), opts.pixelMax());
            case "text" -> throw new DataException(path + ": is a folder of texts, which need a tokenizer: read it with loadTexts");
            default -> ImageFolderLoader.load(path, opts.imageSize(), opts.pixelMax());
        };
    }

    /**
     * Training texts at {@code path}: a folder of class folders of {@code .txt} files, or, with a {@code textColumn},
     * a CSV file's text column (labels from {@code labelColumn}, null for the last other column).
     */
    public static TextSamples loadTexts(Path path, String textColumn, String labelColumn) throws IOException {
        if (textColumn != null) {
            if (!detect(path).equals("table")) throw new DataException(path + ": a text column needs a CSV file");
            return TextCsvLoader.load(path, textColumn, labelColumn);
        }
        String kind = detect(path);
        if (kind.equals("table")) {
            throw new DataException(path + ": a CSV file of texts needs the name of its text column (--text-column NAME)");
        }
        if (!kind.equals("text")) throw new DataException(path + ": expected texts (one sub-folder of .txt files per class), but this is " + describe(kind));
        return TextFolderLoader.load(path);
    }

    /**
     * Texts for a trained text model (evaluate, predict), encoded by its tokenizer: a folder of class folders, a CSV
     * file with the text column it was trained on, or, with {@code requireLabels} false, also single {@code .txt}
     * files and folders of them (their labels are not read and {@code y} is null).
     */
    public static LoadedData loadTextsWith(Path path, Preprocessing fitted, Tokenizer tokenizer, boolean requireLabels) throws IOException {
        return readTextsWith(path, fitted, requireLabels).encode(tokenizer);
    }

    /** {@link #loadTextsWith} before encoding: the texts themselves, with their sources. */
    public static TextSamples readTextsWith(Path path, Preprocessing fitted, boolean requireLabels) throws IOException {
        if (!requireLabels) {
            if (Files.isRegularFile(path) && TextFolderLoader.isTextFile(path)) return TextFolderLoader.loadFiles(List.of(path), fitted);
            if (Files.isDirectory(path) && !hasSubfolders(path)) {
                List<Path> files = TextFolderLoader.listTexts(path);
                if (files.isEmpty()) throw new DataException(path + ": no .txt files in this folder");
                return TextFolderLoader.loadFiles(files, fitted);
            }
        }
        String kind = detect(path);
        if (kind.equals("table")) return TextCsvLoader.loadWith(path, fitted, requireLabels);
        if (!kind.equals("text")) throw new DataException(path + ": the model was trained on texts, but this is " + describe(kind));
        TextSamples s = TextFolderLoader.loadWith(path, fitted);
        return requireLabels ? s : new TextSamples(s.texts(), null, s.sources(), fitted);
    }

    /**
     * Data for a trained model (evaluate, predict), read the way its {@link Preprocessing} says. IDX folders give their
     * test ({@code t10k}) files. With {@code requireLabels} false, labels are not needed and {@code y} may be null:
     * a CSV's label column is not read, and for image and IDX models a single image file or a folder of images without
     * class sub-folders is accepted. IDX models also read class folders of images (named {@code 0} to {@code 9}).
     */
    public static LoadedData loadWith(Path path, Preprocessing fitted, boolean requireLabels) throws IOException {
        return loadWith(path, fitted, requireLabels, true);
    }

    /** As {@link #loadWith(Path, Preprocessing, boolean)}; {@code test} picks an IDX folder's t10k or train files. */
    public static LoadedData loadWith(Path path, Preprocessing fitted, boolean requireLabels, boolean test) throws IOException {
        return loadWith(path, fitted, requireLabels, test, CsvFormat.DEFAULT);
    }

    /** As {@link #loadWith(Path, Preprocessing, boolean, boolean)}, a CSV file read in the given {@code csv} format. */
    public static LoadedData loadWith(Path path, Preprocessing fitted, boolean requireLabels, boolean test, CsvFormat csv)
            throws IOException {
        String trained = fitted.kind();
        // a model trained on IDX images also reads image files of the same shape (e.g. digits drawn in a PNG)
        boolean images = trained.equals("image") || trained.equals("idx");
        if (images && !requireLabels) {
            if (Files.isRegularFile(path) && ImageFolderLoader.isImageFile(path)) {
                return new LoadedData(ImageFolderLoader.loadFiles(List.of(path), fitted), null, fitted);
            }
            if (Files.isDirectory(path) && !hasSubfolders(path)) {
                List<Path> files = ImageFolderLoader.listImages(path);
                if (files.isEmpty()) throw new DataException(path + ": no images (PNG, JPEG, BMP or GIF files)");
                return new LoadedData(ImageFolderLoader.loadFiles(files, fitted), null, fitted);
            }
        }
        if (trained.equals("text")) throw new DataException(path + ": texts need the model's tokenizer: read them with loadTextsWith");
        String kind = detect(path);
        if (!kind.equals(trained) && !(trained.equals("idx") && kind.equals("image"))) {
            throw new DataException(path + ": the model was trained on " + describe(trained) + ", but this is " + describe(kind));
        }
        return switch (kind) {
            case "table" -> CsvLoader.loadWith(table(path, csv), fitted, requireLabels);
            case "idx" -> IdxLoader.loadWith(path, fitted, test, requireLabels);
            default -> ImageFolderLoader.loadWith(path, fitted);
        };
    }

    /** The table file at {@code path} (a database needs its query: see {@link TableSources#of}). */
    private static TableSource table(Path path, CsvFormat csv) throws DataException {
        try {
            return TableSources.of(path.toString(), null, csv);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
    }

    private static boolean hasSubfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
        }
    }

    /** The kind of data {@code kind} names ("table", "idx", "text", "images"), in words for messages. */
    public static String describe(String kind) {
        return switch (kind) {
            case "table" -> "a CSV table";
            case "idx" -> "IDX (MNIST-style) data";
            case "text" -> "a folder of texts";
            default -> "a folder of images";
        };
    }
}
