package dev.nabla.cli;

import dev.nabla.data.CsvFormat;
import dev.nabla.data.CsvLoader;
import dev.nabla.data.TableLoader;
import dev.nabla.data.TableSource;
import dev.nabla.data.TableSources;
import dev.nabla.data.DataException;
import dev.nabla.data.DataOptions;
import dev.nabla.data.DataSources;
import dev.nabla.data.ImageFolderDataset;
import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.IdxLoader;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.Task;
import dev.nabla.data.TextFolderDataset;
import dev.nabla.data.TextFolderLoader;
import dev.nabla.data.TextSamples;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line's use of the data layer ({@link DataSources} and the loaders), in one place. */
final class DataAccess {

    private DataAccess() {
    }

    /**
     * Loads {@code --data} for a new model, split with {@code --val-split}, and {@code --test}, all raw (table values
     * as in the file, image pixels 0..255): the model standardises and rescales them itself, with statistics fitted
     * on the training part.
     *
     * @param task forced by the loss, or null to decide from the labels
     */
    static TrainingData loadTraining(Path data, Path test, String label, int[] imageSizeWH, Task task,
                                     double validationSplit, long seed, TextOptions text, TableOptions table,
                                     Streaming streaming) throws IOException {
        requireExists(data, "--data");
        if (test != null) requireExists(test, "--test");
        String kind = DataSources.detect(data);
        if (!kind.equals("table") && table.csv.query != null) table.csv.source(data); // --query with a file: an error
        if (streaming.forced() && (text.column() != null || !kind.equals("image") && !kind.equals("table") && !kind.equals("text"))) {
            throw StreamedData.notStreamed(data, text.column() != null ? "a CSV file of texts" : DataSources.describe(kind));
        }
        if (text.column() == null && kind.equals("text")) {
            TextFolderDataset folder = TextFolderDataset.open(data);
            Tokenizer.Options options = text.options();
            String reason = StreamedTexts.reason(folder, streaming.forced(), streaming.batchSize(), options.maxLength());
            if (reason != null) return StreamedTexts.split(folder, test, options, validationSplit, seed, reason);
        }
        if (text.column() != null || kind.equals("text")) return loadTexts(data, test, label, text, validationSplit, seed);
        if (kind.equals("table") && text.tokenizerFlag() != null) {
            throw new UsageException(text.tokenizerFlag() + ": " + data + " is a CSV file; name its text column with --text-column NAME");
        }
        DataOptions options = DataOptions.defaults().withLabelColumn(label).withImageSize(imageSizeWH).withTask(task)
                .withPixelMax(ModelPreprocessing.PIXEL_MAX).withCsv(table.format()).withColumns(table.columns)
                .withIgnore(table.ignored());
        LoadedData raw;
        String why;
        try {
            if (kind.equals("image")) {
                ImageFolderDataset all = ImageFolderDataset.open(data, imageSizeWH, ModelPreprocessing.PIXEL_MAX);
                String reason = StreamedData.reason(all, streaming.forced(), streaming.batchSize());
                if (reason != null) return StreamedData.split(all, test, validationSplit, seed, reason);
                raw = all.loadAll();
            } else if (kind.equals("table") && (why = StreamedData.tableReason(table.csv.source(data), streaming.forced())) != null) {
                TableSource testSource = test == null ? null : TableSources.of(test.toString(), null, table.format());
                return StreamedData.splitTable(table.csv.source(data), testSource, options, validationSplit, why);
            } else {
                // tables: medians and categories are fitted on the training part, the rows the split below keeps
                raw = kind.equals("table") ? TableLoader.load(table.csv.source(data), options, n -> trainingRows(n, validationSplit, seed, data))
                        : DataSources.loadRaw(data, options);
            }
        } catch (DataException e) {
            // the --sample-weight column is left out of the features through the ignored columns: name the right flag
            String weights = table.sampleWeight == null ? null : "--ignore: no column '" + table.sampleWeight.strip() + "'";
            if (weights != null && e.getMessage().startsWith(weights)) {
                throw new DataException("--sample-weight" + e.getMessage().substring("--ignore".length()));
            }
            // (a column of free text is refused by the loader itself, with the --text-column hint)
            throw e;
        }
        Split split;
        try {
            split = Split.unscaled(raw, validationSplit, seed);
        } catch (IllegalArgumentException e) {
            // e.g. a validation split that leaves no samples: about the flags, but name the data too
            throw new UsageException("--val-split " + validationSplit + " with " + data + ": " + Errors.oneLine(e.getMessage()), e);
        }
        LoadedData testData = null;
        if (test != null) {
            testData = DataSources.loadWith(test, split.train().preprocessing(), true, true, table.format());
            if (testData.y() == null) throw new DataException(test + ": has no labels, so it cannot be test data");
        }
        return new TrainingData(split.train(), split.validation(), testData,
                Standardizer.statistics(split.train(), options.standardize()), null);
    }

    /** The training part of {@code n} rows as {@link Split#unscaled} will split them. */
    private static int[] trainingRows(int n, double validationSplit, long seed, Path data) {
        try {
            return Split.indices(n, validationSplit, seed)[0];
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + data + ": " + Errors.oneLine(e.getMessage()), e);
        }
    }

    /**
     * Texts of {@code --data} split with {@code --val-split}, the tokenizer trained on the training part only, and
     * all parts (and {@code --test}) encoded by it.
     */
    private static TrainingData loadTexts(Path data, Path test, String label, TextOptions text, double validationSplit,
                                          long seed) throws IOException {
        Tokenizer.Options options = text.options();
        TextSamples all = DataSources.loadTexts(data, text.column(), label);
        int[][] parts;
        try {
            parts = Split.indices(all.size(), validationSplit, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + data + ": " + Errors.oneLine(e.getMessage()), e);
        }
        TextSamples train = parts[1].length == 0 ? all : all.select(parts[0]);
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.train(train.texts(), options);
        } catch (IllegalArgumentException e) {
            throw new DataException(data + ": " + Errors.oneLine(e.getMessage()));
        }
        LoadedData validation = parts[1].length == 0 ? null : all.select(parts[1]).encode(tokenizer);
        LoadedData testData = test == null ? null : DataSources.loadTextsWith(test, all.preprocessing(), tokenizer, true);
        return new TrainingData(train.encode(tokenizer), validation, testData, all.preprocessing(), tokenizer);
    }

    /** Labelled data for a trained model (evaluate); {@code tokenizer} is a text model's (else null). */
    static LoadedData loadLabelled(Path data, Preprocessing p, Tokenizer tokenizer) throws IOException {
        return loadLabelled(data, p, tokenizer, CsvFormat.DEFAULT);
    }

    /** {@link #loadLabelled(Path, Preprocessing, Tokenizer)} with a CSV file read in the {@code csv} format. */
    static LoadedData loadLabelled(Path data, Preprocessing p, Tokenizer tokenizer, CsvFileOptions table) throws IOException {
        if (!isText(p) && p.kind().equals("table") && (TableSources.isDatabase(data.toString()) || table.query != null)) {
            return CsvLoader.loadWith(table.source(data), p, true);
        }
        return loadLabelled(data, p, tokenizer, table.format());
    }

    /** {@link #loadLabelled(Path, Preprocessing, Tokenizer)} with a CSV file read in the {@code csv} format. */
    static LoadedData loadLabelled(Path data, Preprocessing p, Tokenizer tokenizer, CsvFormat csv) throws IOException {
        requireExists(data, "--data");
        LoadedData loaded = isText(p) ? DataSources.loadTextsWith(data, p, tokenizer, true) : DataSources.loadWith(data, p, true, true, csv);
        if (loaded.y() == null) throw new DataException(data + ": has no labels to evaluate against");
        return loaded;
    }

    /** Inputs to predict, with a name for each sample (a file name, or a CSV row number). */
    record Inputs(Tensor x, List<Object> names) {
    }

    /**
     * The samples of predict: for image models, image files and folders of images (searched recursively) or IDX
     * files; for table models, one CSV file whose rows are the samples (named by row number, 1 = first data row).
     */
    static Inputs loadInputs(List<Path> inputs, Preprocessing p) throws IOException {
        return loadInputs(inputs, p, CsvFormat.DEFAULT);
    }

    /** {@link #loadInputs(List, Preprocessing)} with a CSV file read in the given {@code format}. */
    static Inputs loadInputs(List<Path> inputs, Preprocessing p, CsvFormat format) throws IOException {
        if (inputs.isEmpty()) throw new UsageException("predict: give at least one INPUT (image files, or one CSV file)");
        for (Path in : inputs) requireExists(in, "INPUT");
        if (isText(p)) throw new IllegalStateException("texts are read by loadTexts");
        if (p.kind().equals("table")) {
            if (inputs.size() != 1 || !Files.isRegularFile(inputs.get(0))) {
                throw new UsageException("predict: the model was trained on a table; give one CSV file of feature rows"
                        + " (got " + inputs.size() + " inputs" + (inputs.size() == 1 ? ", a folder" : "") + ")");
            }
            Path csv = inputs.get(0);
            if (!csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new UsageException(csv + ": the model was trained on a table; give a CSV file of feature rows");
            }
            LoadedData d = DataSources.loadWith(csv, p, false, true, format);
            List<Object> names = new ArrayList<>();
            for (int i = 1; i <= d.size(); i++) names.add(i);
            return new Inputs(d.x(), names);
        }
        List<Path> images = new ArrayList<>();
        List<Tensor> idxParts = new ArrayList<>();
        List<Object> idxNames = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                if (IdxLoader.containsIdx(in)) {
                    addIdx(in, p, idxParts, idxNames);
                    continue;
                }
                List<Path> found = ImageFolderLoader.listImages(in);
                if (found.isEmpty()) throw new DataException(in + ": no images (PNG, JPEG, BMP or GIF files) in this folder");
                images.addAll(found);
            } else if (ImageFolderLoader.isImageFile(in)) {
                images.add(in);
            } else if (IdxLoader.isIdxFile(in)) {
                addIdx(in, p, idxParts, idxNames);
            } else {
                throw new DataException(in + ": not an image file (PNG, JPEG, BMP or GIF); the model was trained on images");
            }
        }
        List<Tensor> parts = new ArrayList<>();
        List<Object> names = new ArrayList<>();
        if (!images.isEmpty()) {
            parts.add(ImageFolderLoader.loadFiles(images, p));
            for (Path f : images) names.add(f.toString());
        }
        parts.addAll(idxParts);
        names.addAll(idxNames);
        Tensor x = parts.size() == 1 ? parts.get(0) : Tensor.concat(0, parts.toArray(new Tensor[0]));
        return new Inputs(x, names);
    }

    /** Whether the model reads texts (and so needs its tokenizer). */
    static boolean isText(Preprocessing p) {
        return p.kind().equals("text");
    }

    /** A literal {@code --text} to predict, named by itself. */
    record LiteralText(String text) {
    }

    /**
     * The samples of predict for a text model: literal {@code texts}, then {@code .txt} files, folders of them
     * (searched recursively) and CSV files (their rows, from the text column the model was trained on).
     */
    static Inputs loadTexts(List<String> texts, List<Path> inputs, Preprocessing p, Tokenizer tokenizer) throws IOException {
        if (texts.isEmpty() && inputs.isEmpty()) {
            throw new UsageException("predict: give texts to classify: --text \"some words\" or .txt files, folders of them, or a CSV file");
        }
        for (Path in : inputs) requireExists(in, "INPUT");
        List<String> all = new ArrayList<>(texts);
        List<Object> names = new ArrayList<>();
        for (String t : texts) names.add(new LiteralText(t));
        for (Path in : inputs) {
            if (Files.isRegularFile(in) && !TextFolderLoader.isTextFile(in) && !in.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new DataException(in + ": not a .txt or .csv file; the model was trained on texts");
            }
            boolean csv = Files.isRegularFile(in) && !TextFolderLoader.isTextFile(in);
            TextSamples s;
            if (Files.isDirectory(in)) {
                // any folder tree, class folders or not: its .txt files are the texts
                List<Path> files = TextFolderLoader.listTexts(in);
                if (files.isEmpty()) throw new DataException(in + ": no .txt files in this folder");
                s = TextFolderLoader.loadFiles(files, p);
            } else {
                s = DataSources.readTextsWith(in, p, false);
            }
            all.addAll(s.texts());
            for (String source : s.sources()) names.add(csv ? in + " " + source : source);
        }
        return new Inputs(tokenizer.encode(all), names);
    }

    private static void addIdx(Path in, Preprocessing p, List<Tensor> parts, List<Object> names) throws IOException {
        LoadedData d = DataSources.loadWith(in, p, false, true);
        parts.add(d.x());
        for (int i = 0; i < d.size(); i++) names.add(in + "[" + i + "]");
    }

    /** Whether {@code --stream} was given, and the batch size the loader will use. */
    record Streaming(boolean forced, int batchSize) {
    }


    static void requireExists(Path path, String flag) {
        if (TableSources.isDatabase(path.toString())) return;
        if (!Files.exists(path)) throw new UsageException(flag + " " + path + ": no such file or folder");
    }
}
