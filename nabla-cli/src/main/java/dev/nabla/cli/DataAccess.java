package dev.nabla.cli;

import dev.nabla.data.DataException;
import dev.nabla.data.DataOptions;
import dev.nabla.data.DataSources;
import dev.nabla.data.ImageFolderLoader;
import dev.nabla.data.IdxLoader;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.Task;
import dev.nabla.tensor.Tensor;

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
     * Training data split into training and validation parts, and test data read the same way (or null);
     * {@code statistics}, for a new model, are what its preprocessing layers and target scaling hold (fitted on the
     * training part, see {@link ModelPreprocessing}), null when continuing a model that has them.
     */
    record TrainingData(LoadedData train, LoadedData validation, LoadedData test, Preprocessing statistics) {
        Preprocessing preprocessing() {
            return train.preprocessing();
        }
    }

    /**
     * Loads {@code --data} for a new model, split with {@code --val-split}, and {@code --test}, all raw (table values
     * as in the file, image pixels 0..255): the model standardises and rescales them itself, with statistics fitted
     * on the training part.
     *
     * @param task forced by the loss, or null to decide from the labels
     */
    static TrainingData loadTraining(Path data, Path test, String label, int[] imageSizeWH, Task task,
                                     double validationSplit, long seed) throws IOException {
        requireExists(data, "--data");
        if (test != null) requireExists(test, "--test");
        DataOptions options = DataOptions.defaults().withLabelColumn(label).withImageSize(imageSizeWH).withTask(task)
                .withPixelMax(ModelPreprocessing.PIXEL_MAX);
        LoadedData raw = DataSources.loadRaw(data, options);
        Split split;
        try {
            split = Split.unscaled(raw, validationSplit, seed);
        } catch (IllegalArgumentException e) {
            // e.g. a validation split that leaves no samples: about the flags, but name the data too
            throw new UsageException("--val-split " + validationSplit + " with " + data + ": " + Errors.oneLine(e.getMessage()), e);
        }
        LoadedData testData = null;
        if (test != null) {
            testData = DataSources.loadWith(test, split.train().preprocessing(), true, true);
            if (testData.y() == null) throw new DataException(test + ": has no labels, so it cannot be test data");
        }
        return new TrainingData(split.train(), split.validation(), testData,
                Standardizer.statistics(split.train(), options.standardize()));
    }

    /** Labelled data for a trained model (evaluate). */
    static LoadedData loadLabelled(Path data, Preprocessing p) throws IOException {
        requireExists(data, "--data");
        LoadedData loaded = DataSources.loadWith(data, p, true, true);
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
        if (inputs.isEmpty()) throw new UsageException("predict: give at least one INPUT (image files, or one CSV file)");
        for (Path in : inputs) requireExists(in, "INPUT");
        if (p.kind().equals("table")) {
            if (inputs.size() != 1 || !Files.isRegularFile(inputs.get(0))) {
                throw new UsageException("predict: the model was trained on a table; give one CSV file of feature rows"
                        + " (got " + inputs.size() + " inputs" + (inputs.size() == 1 ? ", a folder" : "") + ")");
            }
            Path csv = inputs.get(0);
            if (!csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new UsageException(csv + ": the model was trained on a table; give a CSV file of feature rows");
            }
            LoadedData d = DataSources.loadWith(csv, p, false, true);
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

    private static void addIdx(Path in, Preprocessing p, List<Tensor> parts, List<Object> names) throws IOException {
        LoadedData d = DataSources.loadWith(in, p, false, true);
        parts.add(d.x());
        for (int i = 0; i < d.size(); i++) names.add(in + "[" + i + "]");
    }

    static void requireExists(Path path, String flag) {
        if (!Files.exists(path)) throw new UsageException(flag + " " + path + ": no such file or folder");
    }
}
