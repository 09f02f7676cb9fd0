package dev.nabla.cli;

import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-set results as the command line reports them: {@code loss} and {@code accuracy} for classification;
 * {@code loss}, {@code mse}, {@code mae} and {@code r2} for regression, the last three in the target's original units
 * (the model learns a standardised target; predictions and targets are mapped back before comparing).
 */
final class Evaluation {

    private Evaluation() {
    }

    static Map<String, Double> evaluate(Model model, LoadedData data, Preprocessing p) {
        Map<String, Double> scores = model.evaluate(data.x(), data.y());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", scores.get("loss"));
        if (p.task() == Task.CLASSIFICATION) {
            out.put("accuracy", accuracy(model, data, p));
            return out;
        }
        float[] predicted = model.predict(data.x()).toArray();
        float[] target = data.y().toArray();
        int n = predicted.length;
        double sumSq = 0;
        double sumAbs = 0;
        double mean = 0;
        double[] actual = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = original(target[i], p);
            mean += actual[i];
        }
        mean /= n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = original(predicted[i], p) - actual[i];
            sumSq += d * d;
            sumAbs += Math.abs(d);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        out.put("mse", sumSq / n);
        out.put("mae", sumAbs / n);
        out.put("r2", total == 0 ? (sumSq == 0 ? 1.0 : 0.0) : 1 - sumSq / total);
        return out;
    }

    /** Fraction of samples whose most likely class (as predict reports it) is the label. */
    private static double accuracy(Model model, LoadedData data, Preprocessing p) {
        int[] predicted = model.predictClasses(data.x());
        float[] labels = data.y().toArray();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == Math.round(labels[i])) correct++;
        return predicted.length == 0 ? Double.NaN : (double) correct / predicted.length;
    }

    /** A model output or standardised target in the target's original units. */
    static double original(double standardised, Preprocessing p) {
        return standardised * p.targetStd() + p.targetMean();
    }

    /** Values of a regression model's predictions in original units. */
    static double[] originalValues(Tensor predictions, Preprocessing p) {
        float[] v = predictions.toArray();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = original(v[i], p);
        return out;
    }
}
