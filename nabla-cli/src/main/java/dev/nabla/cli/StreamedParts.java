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
 * The parts of data {@code nabla train} reads batch by batch (see {@link StreamedData}): image and text folders as
 * random-access data sets (decoded by index), tables as streams read again every epoch. Training, validation and test
 * go through here, whichever form they take; {@code validation} and {@code test} may be null.
 *
 * @param reason the summary's line saying that and why the data is streamed
 */
record StreamedParts(Preprocessing preprocessing, Part train, Part validation, Part test, String reason) {

    /** Random-access parts: a folder of images or texts, decoded as batches need them. */
    static StreamedParts of(Preprocessing p, Dataset train, Dataset validation, Dataset test, String reason) {
        return new StreamedParts(p, Part.of(train), Part.of(validation), Part.of(test), reason);
    }

    /** Streams: a table's rows, read from its source again on every pass. */
    static StreamedParts of(Preprocessing p, StreamDataset train, StreamDataset validation, StreamDataset test, String reason) {
        return new StreamedParts(p, Part.of(train), Part.of(validation), Part.of(test), reason);
    }

    /** The shape of one sample. */
    int[] sampleShape() {
        return train.sampleShape();
    }

    int trainSize() {
        return train.size();
    }

    int validationSize() {
        return validation == null ? 0 : validation.size();
    }

    boolean hasValidation() {
        return validation != null;
    }

    /** Gives {@code fit} the validation part (when there is one). */
    void addValidation(FitOptions fit) {
        if (validation != null) validation.addAsValidation(fit);
    }

    /** Trains {@code model} on the training part. */
    History fit(Model model, FitOptions fit) {
        return train.fit(model, fit);
    }

    boolean hasTest() {
        return test != null;
    }

    int testSize() {
        return test == null ? 0 : test.size();
    }

    /** The report's scores on the test part, in batches of {@code batchSize}. */
    Map<String, Double> evaluateTest(Model model, Task task, int batchSize) {
        return test.evaluate(model, task, batchSize);
    }

    /** One part, random-access or streamed: what training, validation and testing do with it. */
    interface Part {
        int[] sampleShape();

        /** Samples in the part (a stream's count capped at {@code Integer.MAX_VALUE}). */
        int size();

        void addAsValidation(FitOptions fit);

        History fit(Model model, FitOptions fit);

        Map<String, Double> evaluate(Model model, Task task, int batchSize);

        static Part of(Dataset set) {
            return set == null ? null : new Part() {
                @Override public int[] sampleShape() { return set.spec().inputShapes().get(0); }
                @Override public int size() { return set.size(); }
                @Override public void addAsValidation(FitOptions fit) { fit.validationData(set); }
                @Override public History fit(Model model, FitOptions fit) { return model.fit(set, fit); }
                @Override public Map<String, Double> evaluate(Model model, Task task, int batchSize) {
                    return Evaluation.evaluate(model, set, task, batchSize);
                }
            };
        }

        static Part of(StreamDataset stream) {
            return stream == null ? null : new Part() {
                @Override public int[] sampleShape() { return stream.spec().inputShapes().get(0); }
                @Override public int size() { return (int) Math.min(Integer.MAX_VALUE, stream.size()); }
                @Override public void addAsValidation(FitOptions fit) { fit.validationData(stream); }
                @Override public History fit(Model model, FitOptions fit) { return model.fit(stream, fit); }
                @Override public Map<String, Double> evaluate(Model model, Task task, int batchSize) {
                    return Evaluation.evaluate(model, stream, task, batchSize);
                }
            };
        }
    }
}
