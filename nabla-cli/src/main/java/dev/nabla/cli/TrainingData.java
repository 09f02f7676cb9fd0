package dev.nabla.cli;

import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * What {@code nabla train} trains on: training, validation (or null) and test (or null) parts, either loaded whole
 * ({@link LoadedData}) or, where they would not fit in memory or {@code --stream} says so, read as they are needed
 * ({@link Streamed}). {@code statistics}, for a new model, are what its preprocessing layers and target scaling hold
 * (fitted on the training part, see {@link ModelPreprocessing}), null when continuing a model that has them.
 */
record TrainingData(LoadedData train, LoadedData validation, LoadedData test, Preprocessing statistics, Tokenizer tokenizer,
                    Streamed streamed) {

    /** Data loaded whole. */
    TrainingData(LoadedData train, LoadedData validation, LoadedData test, Preprocessing statistics, Tokenizer tokenizer) {
        this(train, validation, test, statistics, tokenizer, null);
    }

    /**
     * Parts read batch by batch (see {@link StreamedData}); {@code reason} is the summary's line saying so and why.
     */
    record Streamed(Preprocessing preprocessing, Dataset train, Dataset validation, Dataset test, String reason) {
    }

    Preprocessing preprocessing() {
        return streamed != null ? streamed.preprocessing() : train.preprocessing();
    }

    /** The shape of one sample. */
    int[] sampleShape() {
        if (streamed != null) return streamed.train().spec().inputShapes().get(0);
        return Arrays.copyOfRange(train.x().shape(), 1, train.x().rank());
    }

    int trainSize() {
        return streamed != null ? streamed.train().size() : train.size();
    }

    int validationSize() {
        Dataset v = validationSet();
        return v == null ? 0 : v.size();
    }

    boolean hasValidation() {
        return streamed != null ? streamed.validation() != null : validation != null;
    }

    /** The training part as a data set, with the samples' {@code weights} (null: unweighted; only for data in memory). */
    Dataset trainSet(Tensor weights) {
        if (streamed != null) {
            if (weights != null) throw new IllegalStateException("streamed data carries no sample weights");
            return streamed.train();
        }
        return new TensorDataset(List.of(train.x()), train.y(), weights);
    }

    Dataset validationSet() {
        if (streamed != null) return streamed.validation();
        return validation == null ? null : new TensorDataset(validation.x(), validation.y());
    }

    Dataset testSet() {
        if (streamed != null) return streamed.test();
        return test == null ? null : new TensorDataset(test.x(), test.y());
    }

    /** The summary's line about streaming, or null when the data is in memory. */
    String streaming() {
        return streamed == null ? null : streamed.reason();
    }
}
