package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.io.Json;
import dev.nabla.io.ModelFormatException;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code nabla train} stores in a model file's metadata: the data preprocessing (the kind of input, feature
 * columns, label, classes, image shape and pixel range, so evaluate and predict read input as in training; the
 * scaling itself is inside the model, see {@link ModelPreprocessing}) under {@value #PREPROCESSING}, and the training
 * settings under {@value #TRAINING}.
 */
final class ModelMetadata {

    static final String PREPROCESSING = Preprocessing.METADATA_KEY;
    static final String TRAINING = "training";

    private ModelMetadata() {
    }

    static void store(Model model, Preprocessing p, Map<String, Object> training) {
        model.metadata().put(PREPROCESSING, p.toMap());
        model.metadata().put(TRAINING, new LinkedHashMap<>(training));
    }

    /** The preprocessing of a loaded model; a model without one was not made by the command line. */
    static Preprocessing preprocessing(Model model, Path file) throws ModelFormatException {
        Object raw = model.metadata().get(PREPROCESSING);
        if (raw == null) {
            throw new ModelFormatException(file + ": has no preprocessing metadata (it was not trained with 'nabla train'),"
                    + " so the command line cannot tell how to prepare its input");
        }
        Preprocessing p;
        try {
            p = Preprocessing.fromMap(Json.asObject(raw, "metadata.preprocessing"));
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": invalid preprocessing metadata: " + Errors.oneLine(e.getMessage()), e);
        }
        if (p.columns() != null) {
            int width = p.columns().width();
            try {
                // a table network is small: one row of zeros through it, in inference mode, says whether it takes them
                model.predict(dev.nabla.tensor.Tensor.zeros(1, width));
            } catch (RuntimeException e) {
                throw new ModelFormatException(file + ": invalid preprocessing metadata: preprocessing.columns gives " + width
                        + " inputs per row, which the network does not take (" + Errors.oneLine(e.getMessage()) + ")", e);
            }
        }
        return p;
    }

    /**
     * The preprocessing to read data for a loaded model with, for evaluate, predict and continued training: the saved
     * one, after {@link LegacyPreprocessing#adopt} has moved a format-1 model's target scaling into the model.
     */
    static Preprocessing inputs(Model model, Path file) throws ModelFormatException {
        Preprocessing p = LegacyPreprocessing.adopt(model, preprocessing(model, file), file);
        checkAgainstNetwork(model, p, file);
        return p;
    }

    /**
     * Runs the network once on a zero sample of the shape the preprocessing gives (tables and images; texts have
     * any length), so that feature columns, an image shape or a class list that do not fit the network are refused
     * at load naming the field, not part way through a prediction.
     */
    private static void checkAgainstNetwork(Model model, Preprocessing p, Path file) throws ModelFormatException {
        int[] sample = p.imageShape() != null ? p.imageShape()
                : p.columns() != null ? new int[]{p.columns().width()}
                : "table".equals(p.kind()) ? new int[]{p.featureNames().size()} : null;
        if (sample == null) return;
        int[] batch = new int[sample.length + 1];
        batch[0] = 1;
        System.arraycopy(sample, 0, batch, 1, sample.length);
        dev.nabla.tensor.Tensor out;
        try {
            out = model.predict(dev.nabla.tensor.Tensor.zeros(batch));
        } catch (RuntimeException e) {
            String field = p.imageShape() != null ? "image_shape " + java.util.Arrays.toString(sample)
                    : p.columns() != null ? "columns (" + sample[0] + " inputs)"
                    : "feature_names (" + sample[0] + " columns)";
            throw new ModelFormatException(file + ": its preprocessing." + field + " does not fit its network: "
                    + Errors.oneLine(e.getMessage()), e);
        }
        if (p.task() != dev.nabla.data.Task.CLASSIFICATION) return;
        int outputs = out.rank() <= 1 ? 1 : out.shape(-1);
        int classes = model.classNames().size();
        if (outputs == 1 ? classes != 2 : outputs != classes) {
            throw new ModelFormatException(file + ": its class_names list " + classes + " classes, but the network gives "
                    + outputs + (outputs == 1 ? " output (a binary classifier has 2 classes)" : " outputs, one per class"));
        }
    }

    /** A text model's tokenizer (null for other models); a text model saved without one is a broken file. */
    static dev.nabla.text.Tokenizer tokenizer(Model model, Preprocessing p, Path file) throws ModelFormatException {
        if (!DataAccess.isText(p)) return null;
        if (model.tokenizer() == null) {
            throw new ModelFormatException(file + ": a text model without its tokenizer (no tokenizer.json), so texts cannot be encoded for it");
        }
        return model.tokenizer();
    }

    /** The training settings saved by train (empty when absent). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> training(Model model) {
        Object raw = model.metadata().get(TRAINING);
        return raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Loads a model for evaluate, predict and info; a model without a loss cannot evaluate. */
    static Model load(Path file, String flag) throws java.io.IOException {
        if (!java.nio.file.Files.exists(file)) throw new UsageException(flag + " " + file + ": no such file");
        if (java.nio.file.Files.isDirectory(file)) throw new UsageException(flag + " " + file + ": is a folder, not a model file");
        return Model.load(file);
    }
}
