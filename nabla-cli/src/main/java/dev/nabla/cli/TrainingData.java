package dev.nabla.cli;

import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.FitOptions;
import dev.nabla.train.History;
import dev.nabla.train.Model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code nabla train} trains on: training, validation (or null) and test (or null) parts, either loaded whole
 * ({@link LoadedData}) or, where they would not fit in memory or {@code --stream} says so, read as they are needed
 * ({@link StreamedParts}). {@code statistics}, for a new model, are what its preprocessing layers and target scaling
 * hold (fitted on the training part, see {@link ModelPreprocessing}), null when continuing a model that has them.
 */
record TrainingData(LoadedData train, LoadedData validation, LoadedData test, Preprocessing statistics, Tokenizer tokenizer,
                    StreamedParts streamed) {

    /** Data loaded whole. */
    TrainingData(LoadedData train, LoadedData validation, LoadedData test, Preprocessing statistics, Tokenizer tokenizer) {
        this(train, validation, test, statistics, tokenizer, null);
    }

    Preprocessing preprocessing() {
        return streamed != null ? streamed.preprocessing() : train.preprocessing();
    }

    /** The shape of one sample. */
    int[] sampleShape() {
        if (streamed != null) return streamed.sampleShape();
        return Arrays.copyOfRange(train.x().shape(), 1, train.x().rank());
    }

    int trainSize() {
        return streamed != null ? streamed.trainSize() : train.size();
    }

    int validationSize() {
        if (streamed != null) return streamed.validationSize();
        return validation == null ? 0 : validation.size();
    }

    boolean hasValidation() {
        return streamed != null ? streamed.hasValidation() : validation != null;
    }

    /** Gives {@code fit} the validation part, when there is one. */
    void addValidation(FitOptions fit) {
        if (streamed != null) streamed.addValidation(fit);
        else if (validation != null) fit.validationData(new TensorDataset(validation.x(), validation.y()));
    }

    /** Trains {@code model} on the training part, with the samples' {@code weights} (null: unweighted; only for data in memory). */
    History fit(Model model, FitOptions fit, Tensor weights) {
        if (streamed != null) {
            if (weights != null) throw new IllegalStateException("streamed data carries no sample weights");
            return streamed.fit(model, fit);
        }
        return model.fit(new TensorDataset(List.of(train.x()), train.y(), weights), fit);
    }

    boolean hasTest() {
        return streamed != null ? streamed.hasTest() : test != null;
    }

    int testSize() {
        if (streamed != null) return streamed.testSize();
        return test == null ? 0 : test.size();
    }

    /** The report's scores on the test part. */
    Map<String, Double> evaluateTest(Model model, Task task, int batchSize) {
        if (streamed != null) return streamed.evaluateTest(model, task, batchSize);
        return Evaluation.evaluate(model, new TensorDataset(test.x(), test.y()), task, batchSize);
    }

    /** The summary's line about streaming, or null when the data is in memory. */
    String streaming() {
        return streamed == null ? null : streamed.reason();
    }
}
