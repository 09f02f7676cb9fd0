package dev.nabla.metrics;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Objects;

/**
 * How the classification metrics read a batch (one rule for all of them):
 *
 * <ul>
 * <li><b>Multiclass</b>: predictions {@code [N, C]} with {@code C >= 2}, logits or probabilities alike; the predicted
 * class is the row's argmax (the first on ties). Targets are class indices {@code [N]} or {@code [N, 1]} (whole
 * numbers in {@code [0, C)}, else {@link IllegalArgumentException}), or one-hot / probability rows {@code [N, C]}
 * whose argmax is the true class.</li>
 * <li><b>Binary</b>: predictions {@code [N]} or {@code [N, 1]}, one score per sample. The predicted class is 1 when
 * the score is above a threshold: 0.5 for probabilities (a sigmoid output, the default) or 0 for logits (metrics
 * built with {@code fromLogits = true}, matching {@code BinaryCrossEntropy(true)}); both mean "probability above
 * one half". Targets {@code [N]} or {@code [N, 1]} are 1 when at least 0.5 (so smoothed labels work), else 0.</li>
 * </ul>
 * Anything else, or a different number of samples, throws a {@link ShapeException} naming the metric and both shapes.
 */
final class Classes {

    /** Receives one sample's predicted and true class. */
    @FunctionalInterface
    interface PairSink {
        void accept(int predicted, int actual);
    }

    private Classes() {
    }

    /** Whether the predictions are one binary score per sample. */
    static boolean isBinary(String metric, Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, metric + ": predictions are null");
        Objects.requireNonNull(targets, metric + ": targets are null");
        int[] p = predictions.shape();
        if (p.length == 1 || (p.length == 2 && p[1] == 1)) return true;
        if (p.length == 2 && p[1] >= 2) return false;
        throw new ShapeException(metric + ": predictions of shape " + Shape.str(p) + " must be [batch, classes] or"
                + " one score per sample [batch] / [batch, 1] (targets of shape " + Shape.str(targets.shape()) + ")");
    }

    /**
     * Checks a batch (shapes, and every class label) before anything is counted, so a bad batch leaves a metric as
     * it was. Returns the number of classes (2 for binary).
     */
    static int check(String metric, Tensor predictions, Tensor targets) {
        boolean binary = isBinary(metric, predictions, targets);
        int n = predictions.shape(0);
        int c = binary ? 1 : predictions.shape(1);
        int[] ts = targets.shape();
        boolean labels = (ts.length == 1 && ts[0] == n) || (ts.length == 2 && ts[0] == n && ts[1] == 1);
        boolean rows = !binary && ts.length == 2 && ts[0] == n && ts[1] == c;
        if (!labels && !rows) {
            throw new ShapeException(metric + ": predictions of shape " + Shape.str(predictions.shape())
                    + " and targets of shape " + Shape.str(ts) + " do not fit; targets must be labels [" + n + "] or ["
                    + n + ", 1]" + (binary ? "" : " or one-hot rows [" + n + ", " + c + "]"));
        }
        if (labels && !binary) {
            Tensor tc = targets.materialize(false);
            float[] t = tc.data();
            int to = tc.offset();
            for (int i = 0; i < n; i++) label(metric, t[to + i], i, c);
        }
        return binary ? 2 : c;
    }

    /**
     * Calls {@code sink} with each sample's (predicted, true) class, for a batch that passed {@link #check}.
     * {@code threshold} applies to binary scores only.
     */
    static void forEach(String metric, Tensor predictions, Tensor targets, float threshold, PairSink sink) {
        boolean binary = isBinary(metric, predictions, targets);
        int n = predictions.shape(0);
        int c = binary ? 1 : predictions.shape(1);
        boolean rows = !binary && targets.rank() == 2 && targets.shape(1) == c && c > 1;
        Tensor pc = predictions.materialize(false);
        Tensor tc = targets.materialize(false);
        float[] p = pc.data();
        float[] t = tc.data();
        int po = pc.offset();
        int to = tc.offset();
        for (int i = 0; i < n; i++) {
            int predicted;
            int actual;
            if (binary) {
                predicted = p[po + i] > threshold ? 1 : 0;
                actual = t[to + i] >= 0.5f ? 1 : 0;
            } else {
                predicted = argmax(p, po + i * c, c);
                actual = rows ? argmax(t, to + i * c, c) : label(metric, t[to + i], i, c);
            }
            sink.accept(predicted, actual);
        }
    }

    /** Index of the first largest of {@code d[o..o+n)}. */
    static int argmax(float[] d, int o, int n) {
        int best = 0;
        float max = d[o];
        for (int j = 1; j < n; j++) {
            if (d[o + j] > max) {
                max = d[o + j];
                best = j;
            }
        }
        return best;
    }

    /** A class index stored as a float, checked to be a whole number in {@code [0, classes)}. */
    static int label(String metric, float v, int sample, int classes) {
        int k = (int) v;
        if (k != v || k < 0 || k >= classes) {
            throw new IllegalArgumentException(metric + ": label " + v + " of sample " + sample + " is not a class"
                    + " index in [0, " + classes + ") for " + classes + " classes");
        }
        return k;
    }

    /** The binary threshold on a raw score: 0 for logits, 0.5 for probabilities. */
    static float threshold(boolean fromLogits) {
        return fromLogits ? 0f : 0.5f;
    }
}
