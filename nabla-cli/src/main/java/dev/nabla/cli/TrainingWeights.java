package dev.nabla.cli;

import dev.nabla.data.CsvColumnReader;
import dev.nabla.data.DataException;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.data.Task;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.SampleWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The weights of the training samples from {@code --class-weight} and {@code --sample-weight} (multiplied when both
 * are given), for {@link dev.nabla.train.FitOptions#sampleWeights}; class weights are fitted on the training part.
 */
final class TrainingWeights {

    private TrainingWeights() {
    }

    /**
     * The weights of {@code train}, the training part of {@code data}'s {@code rows} data rows as
     * {@link Split#indices} splits them; null when neither flag is given.
     */
    static Tensor of(TableOptions t, Path data, Preprocessing p, LoadedData train, int rows, double validationSplit, long seed)
            throws IOException {
        if (t.classWeight == null && t.sampleWeight == null) return null;
        Tensor sample = null;
        if (t.sampleWeight != null) {
            float[] all = CsvColumnReader.numbers(t.csv.source(data), t.sampleWeight, "--sample-weight");
            if (all.length != rows) throw new IllegalStateException("--sample-weight: " + all.length + " weights for " + rows + " rows");
            for (int i = 0; i < all.length; i++) {
                if (all[i] < 0) {
                    throw new DataException("--sample-weight " + Printable.of(t.sampleWeight) + ": data row " + (i + 1) + " of " + data
                            + " has weight " + all[i] + " (weights must be at least 0)");
                }
            }
            int[][] parts = Split.indices(rows, validationSplit, seed);
            float[] w = all;
            if (parts[1].length > 0) {
                w = new float[parts[0].length];
                for (int i = 0; i < w.length; i++) w[i] = all[parts[0][i]];
            }
            sample = Tensor.wrap(w, w.length);
        }
        Tensor weights = sample;
        if (t.classWeight != null) {
            if (p.task() != Task.CLASSIFICATION) {
                throw new UsageException("--class-weight: only for classification, but " + data + " is a regression of '"
                        + Printable.of(p.labelName()) + "' (give --task classification to treat its values as classes)");
            }
            float[] perClass = t.balanced() ? SampleWeights.balanced(train.y(), p.numClasses()) : named(t.perClass(), p);
            weights = SampleWeights.ofClasses(train.y(), perClass, sample);
        }
        float sum = 0;
        for (float w : weights.toArray()) sum += w;
        if (!(sum > 0)) {
            throw new UsageException((t.classWeight != null ? "--class-weight" : "--sample-weight") + ": every training sample"
                    + " weighs 0, so nothing would be learned");
        }
        return weights;
    }

    private static float[] named(Map<String, Float> given, Preprocessing p) {
        float[] w = new float[p.numClasses()];
        Arrays.fill(w, 1);
        for (var e : given.entrySet()) {
            int k = p.classes().indexOf(e.getKey());
            if (k < 0) {
                throw new UsageException("--class-weight: no class '" + Printable.of(e.getKey()) + "' (classes: "
                        + Training.preview(p.classes()) + ")");
            }
            w[k] = e.getValue();
        }
        return w;
    }
}
