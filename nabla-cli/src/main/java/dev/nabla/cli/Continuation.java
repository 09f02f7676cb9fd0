package dev.nabla.cli;

import dev.nabla.data.DataException;
import dev.nabla.data.DataSources;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.io.ModelFormatException;
import dev.nabla.metrics.Metric;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.Shape;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code nabla train --model FILE}: a saved model trained further. The data is read the way the model's preprocessing
 * says (its classes, features and image size; scaling is the model's own, never fitted again; see
 * {@link LegacyPreprocessing} for models of format 1), the network, loss and optimizer with its
 * state come from the file, and epochs count on from the saved ones, so that with the same data and {@code --seed} a
 * run of 2 epochs continued for 2 more is the run of 4.
 */
final class Continuation {

    static final String FLAG = "--model";

    private final Path file;
    private final Model model;
    private final Preprocessing preprocessing;
    private final Map<String, Object> training;

    private Continuation(Path file, Model model, Preprocessing preprocessing, Map<String, Object> training) {
        this.file = file;
        this.model = model;
        this.preprocessing = preprocessing;
        this.training = training;
    }

    /**
     * The model file named by {@code --model}; a comma spec given there (the meaning {@code --model} had before
     * {@code --arch}) is one clear error pointing to {@code --arch}.
     */
    static Path file(String value) {
        Path file;
        try {
            file = Path.of(value);
        } catch (InvalidPathException e) {
            file = null;
        }
        if (file == null || !Files.exists(file)) {
            if (ArchSpec.looksLikeSpec(value)) {
                throw new UsageException(FLAG + " " + value + ": is a layer spec, not a model file; --model names a saved model to "
                        + "train further, layers are given with --arch (" + ArchSpec.FLAG + " " + value + ")");
            }
            throw new UsageException(FLAG + " " + value + ": no such model file");
        }
        if (Files.isDirectory(file)) throw new UsageException(FLAG + " " + file + ": is a folder, not a model file");
        return file;
    }

    /** Loads the model to continue; it must have been trained by the command line (preprocessing and loss saved). */
    static Continuation load(Path file) throws IOException {
        Model model = Model.load(file);
        Preprocessing p = ModelMetadata.inputs(model, file);
        if (model.loss() == null) throw new ModelFormatException(file + ": has no loss, so it cannot be trained further");
        return new Continuation(file, model, p, ModelMetadata.training(model));
    }

    Path file() {
        return file;
    }

    Model model() {
        return model;
    }

    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The command-line loss name the model was trained with (from its settings, else its loss). */
    String lossName() {
        if (training.get("loss") instanceof String s) return s;
        return Training.lossName(model.loss().name().replace('_', '-'));
    }

    /** The command-line optimizer name saved with the model, else the optimizer's own name (null: none saved). */
    String optimizerName() {
        if (training.get("optimizer") instanceof String s) return s;
        return model.optimizer() == null ? null : model.optimizer().name();
    }

    /** The model's {@code --arch} form, kept with the continued model. */
    Map<String, Object> architecture() {
        return ArchSpec.ofSaved(model);
    }

    /** The {@code --arch} text the model was first trained with, or null when unknown. */
    String archText() {
        if (training.get("arch") instanceof String s) return s;
        return training.get("model") instanceof String s ? s : null;
    }

    /**
     * Checks the flags that would change what the saved model is: {@code --loss} and {@code --optimizer} must be the
     * model's (its optimizer's state continues), {@code --image-size} the size it was trained at.
     */
    void checkFlags(String lossName, String optimizer, int[] imageSizeWH) {
        if (lossName != null && !lossName.equals(lossName())) {
            throw new UsageException("--loss " + lossName + ": " + file + " was trained with --loss " + lossName()
                    + "; continuing training keeps its loss (leave out --loss)");
        }
        String saved = optimizerName();
        if (optimizer != null && saved != null && !optimizer.equals(saved)) {
            throw new UsageException("--optimizer " + optimizer + ": " + file + " was trained with " + saved
                    + ", whose state continues; leave out --optimizer (or train a new model with --arch)");
        }
        int[] shape = preprocessing.imageShape();
        if (imageSizeWH != null) {
            if (shape == null) {
                throw new UsageException("--image-size: " + file + " was trained on " + (DataAccess.isText(preprocessing) ? "texts" : "a table")
                        + ", not on images");
            }
            if (shape[2] != imageSizeWH[0] || shape[1] != imageSizeWH[1]) {
                throw new UsageException("--image-size " + imageSizeWH[0] + "x" + imageSizeWH[1] + ": " + file + " takes images of "
                        + shape[2] + "x" + shape[1] + " pixels");
            }
        }
    }

    /** {@code --label} on a continued model: only the column it was trained to predict. */
    void checkLabel(String label) {
        if (label == null) return;
        if (!preprocessing.kind().equals("table") && preprocessing.labelName() == null) {
            throw new UsageException("--label: " + file + " was trained on " + (DataAccess.isText(preprocessing) ? "a folder of texts" : "images")
                    + ", which have no label column");
        }
        if (!label.equals(preprocessing.labelName())) {
            throw new UsageException("--label " + label + ": " + file + " was trained to predict '" + preprocessing.labelName()
                    + "'; continuing training keeps its label column");
        }
    }

    /**
     * Training data read with the model's preprocessing, split as {@link Split#of} splits it (same samples held out for
     * the same seed), and test data read the same way.
     */
    TrainingData loadData(Path data, Path test, double validationSplit, long seed, dev.nabla.data.CsvFormat csv,
                          DataAccess.Streaming streaming) throws IOException {
        DataAccess.requireExists(data, "--data");
        if (test != null) DataAccess.requireExists(test, "--test");
        boolean text = DataAccess.isText(preprocessing);
        boolean imageFolder = preprocessing.kind().equals("image") && DataSources.detect(data).equals("image");
        boolean textFolder = text && DataSources.detect(data).equals("text");
        if (textFolder) {
            var folder = dev.nabla.data.TextFolderDataset.openWith(data, preprocessing, tokenizer());
            String reason = StreamedTexts.reason(folder, streaming.forced(), streaming.batchSize(), tokenizer().maxLength());
            if (reason != null) return StreamedTexts.splitWith(folder, test, tokenizer(), validationSplit, seed, reason);
        }
        if (streaming.forced() && !imageFolder) {
            throw StreamedData.notStreamed(data, "the data of a " + preprocessing.kind() + " model"
                    + (preprocessing.kind().equals("table") ? " continued with --model (tables stream for a new model only)" : ""));
        }
        LoadedData all;
        if (imageFolder) {
            var folder = dev.nabla.data.ImageFolderDataset.openWith(data, preprocessing);
            String reason = StreamedData.reason(folder, streaming.forced(), streaming.batchSize());
            if (reason != null) return StreamedData.split(folder, test, validationSplit, seed, reason);
            all = folder.loadAll();
        } else {
            all = text ? DataSources.loadTextsWith(data, preprocessing, tokenizer(), true)
                    : DataSources.loadWith(data, preprocessing, true, false, csv);
        }
        if (all.y() == null) throw new DataException(data + ": has no labels, so it cannot be training data");
        int[][] parts;
        try {
            parts = Split.indices(all.size(), validationSplit, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + data + ": " + Errors.oneLine(e.getMessage()), e);
        }
        LoadedData train = parts[1].length == 0 ? all : Split.select(all, parts[0]);
        LoadedData validation = parts[1].length == 0 ? null : Split.select(all, parts[1]);
        LoadedData testData = null;
        if (test != null) {
            testData = text ? DataSources.loadTextsWith(test, preprocessing, tokenizer(), true)
                    : DataSources.loadWith(test, preprocessing, true, true, csv);
            if (testData.y() == null) throw new DataException(test + ": has no labels, so it cannot be test data");
        }
        return new TrainingData(train, validation, testData, null, model.tokenizer());
    }

    /** The saved tokenizer of a text model. */
    private dev.nabla.text.Tokenizer tokenizer() throws ModelFormatException {
        if (model.tokenizer() == null) throw new ModelFormatException(file + ": a text model without its tokenizer (tokenizer.json)");
        return model.tokenizer();
    }

    /** Checks that the saved network takes the data's samples and gives the task's {@code outputs} values. */
    void checkFits(int[] sampleShape, int outputs, String inputDescription) {
        int[] out;
        try {
            out = model.network().outputShape(List.of(sampleShape));
        } catch (IllegalArgumentException e) {
            throw new UsageException(FLAG + " " + file + ": its network cannot take " + inputDescription + ": "
                    + Errors.oneLine(e.getMessage()), e);
        }
        if (out != null && !Arrays.equals(out, new int[]{outputs})) {
            throw new UsageException(FLAG + " " + file + ": its network gives " + Shape.str(out) + " per sample, but the task needs "
                    + outputs + " values");
        }
    }

    /**
     * Compiles the model again with the command line's metric, keeping its loss and its optimizer with the optimizer's
     * state (a model saved without one gets {@code optimizer}); {@code learningRate}, when given, replaces the saved rate.
     */
    void compile(Metric metric, String optimizer, Double learningRate) {
        Optimizer saved = model.optimizer();
        if (saved != null) {
            if (learningRate != null) saved.setLearningRate(learningRate.floatValue());
            model.compile(params -> saved, model.loss(), metric);
        } else {
            String name = optimizer != null ? optimizer : "adam";
            float lr = learningRate != null ? learningRate.floatValue() : Optimizers.defaultLearningRate(name);
            model.compile(Optimizers.named(name, lr), model.loss(), metric);
        }
    }
}
