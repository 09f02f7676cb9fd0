package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.train.FitOptions;
import dev.nabla.train.History;
import dev.nabla.train.Model;

import java.util.Map;

/**
 * The parts of data {@code nabla train} reads batch by batch (see {@link StreamedData}): image folders as
 * random-access data sets ({@link Sets}, decoded by index), tables as streams read again every epoch ({@link Rows}).
 * Training, validation and test go through here, whichever form they take.
 */
interface StreamedParts {

    Preprocessing preprocessing();

    /** The summary's line saying that and why the data is streamed. */
    String reason();

    /** The shape of one sample. */
    int[] sampleShape();

    int trainSize();

    int validationSize();

    boolean hasValidation();

    /** Gives {@code fit} the validation part (when there is one). */
    void addValidation(FitOptions fit);

    /** Trains {@code model} on the training part. */
    History fit(Model model, FitOptions fit);

    boolean hasTest();

    int testSize();

    /** The report's scores on the test part, in batches of {@code batchSize}. */
    Map<String, Double> evaluateTest(Model model, Task task, int batchSize);

    /** Random-access parts: an image folder, decoded as batches need it. */
    record Sets(Preprocessing preprocessing, Dataset train, Dataset validation, Dataset test, String reason) implements StreamedParts {
        @Override
        public int[] sampleShape() {
            return train.spec().inputShapes().get(0);
        }

        @Override
        public int trainSize() {
            return train.size();
        }

        @Override
        public int validationSize() {
            return validation == null ? 0 : validation.size();
        }

        @Override
        public boolean hasValidation() {
            return validation != null;
        }

        @Override
        public void addValidation(FitOptions fit) {
            if (validation != null) fit.validationData(validation);
        }

        @Override
        public History fit(Model model, FitOptions fit) {
            return model.fit(train, fit);
        }

        @Override
        public boolean hasTest() {
            return test != null;
        }

        @Override
        public int testSize() {
            return test == null ? 0 : test.size();
        }

        @Override
        public Map<String, Double> evaluateTest(Model model, Task task, int batchSize) {
            return Evaluation.evaluate(model, test, task, batchSize);
        }
    }

    /** Streams: a table's rows, read from its source again on every pass. */
    record Rows(Preprocessing preprocessing, StreamDataset train, StreamDataset validation, StreamDataset test, String reason)
            implements StreamedParts {
        @Override
        public int[] sampleShape() {
            return train.spec().inputShapes().get(0);
        }

        @Override
        public int trainSize() {
            return (int) Math.min(Integer.MAX_VALUE, train.size());
        }

        @Override
        public int validationSize() {
            return validation == null ? 0 : (int) Math.min(Integer.MAX_VALUE, validation.size());
        }

        @Override
        public boolean hasValidation() {
            return validation != null;
        }

        @Override
        public void addValidation(FitOptions fit) {
            if (validation != null) fit.validationData(validation);
        }

        @Override
        public History fit(Model model, FitOptions fit) {
            return model.fit(train, fit);
        }

        @Override
        public boolean hasTest() {
            return test != null;
        }

        @Override
        public int testSize() {
            return test == null ? 0 : (int) Math.min(Integer.MAX_VALUE, test.size());
        }

        @Override
        public Map<String, Double> evaluateTest(Model model, Task task, int batchSize) {
            return Evaluation.evaluate(model, test, task, batchSize);
        }
    }
}
