package dev.nabla.serve;

import dev.nabla.data.Preprocessing;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model the server serves under {@code name}: the loaded model, the preprocessing it was trained with (how raw
 * rows, images and texts become its inputs), its tokenizer (text models, else null) and how its outputs become the
 * prediction objects of {@code nabla predict --json}.
 *
 * @param format the prediction objects for a batch's outputs; supplied by the command line so that the server answers
 *               with exactly the objects {@code nabla predict --json} prints
 */
public record ServedModel(String name, Model model, Preprocessing preprocessing, Tokenizer tokenizer, PredictionFormat format) {

    /** Turns a model's outputs for {@code names.size()} samples into one prediction object per sample. */
    @FunctionalInterface
    public interface PredictionFormat {
        /**
         * The objects {@code nabla predict --json} prints for these outputs: {@code {"input", "label",
         * "probabilities"}} (all classes, most likely first) or {@code {"input", "value"}}.
         */
        List<Map<String, Object>> predictions(Tensor output, List<Object> names);
    }

    public ServedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(format, "format");
    }

    /** {@code "table"}, {@code "images"}, {@code "text"} or another kind of input, as the preprocessing says. */
    public String kind() {
        return preprocessing.kind();
    }

    /** Whether it predicts numbers (regression) rather than classes. */
    public boolean regression() {
        return preprocessing.task() == dev.nabla.data.Task.REGRESSION;
    }
}
