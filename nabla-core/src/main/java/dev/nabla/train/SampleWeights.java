package dev.nabla.train;

import dev.nabla.loss.Loss;
import dev.nabla.loss.Reduction;
import dev.nabla.tensor.Tensor;

/**
 * Weighted training ({@link FitOptions#sampleWeights}): the loss of a batch with weights {@code w} is the weighted
 * mean {@code sum(w_i * l_i) / sum(w_i)} of the samples' losses {@code l_i} ({@link Loss#perSample}), as PyTorch's
 * {@code CrossEntropyLoss(weight=...)} computes its class-weighted mean; a loss reduced by {@link Reduction#SUM}
 * gives {@code sum(w_i * l_i)}. Unlike Keras' {@code sum(w * l) / batch_size}, scaling all weights by one factor does
 * not change the step size, so {@code balanced} class weights and counts-as-weights train at the learning rate as
 * given. A batch whose weights are all 0 contributes a loss of 0.
 */
public final class SampleWeights {

    private SampleWeights() {
    }

    /**
     * Per-sample weights from class weights: sample {@code i} of class {@code labels[i]} gets
     * {@code classWeights[labels[i]]} (times {@code sampleWeights[i]} when not null), as Keras turns
     * {@code class_weight} into sample weights.
     */
    public static Tensor ofClasses(Tensor labels, float[] classWeights, Tensor sampleWeights) {
        float[] y = labels.contiguous().toArray();
        float[] s = sampleWeights == null ? null : sampleWeights.contiguous().toArray();
        if (s != null && s.length != y.length) {
            throw new IllegalArgumentException("sample weights: " + s.length + " for " + y.length + " labels");
        }
        float[] w = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            int k = (int) y[i];
            if (k != y[i] || k < 0 || k >= classWeights.length) {
                throw new IllegalArgumentException("class weights: label " + y[i] + " of sample " + i + " is not a class in [0, "
                        + classWeights.length + ")");
            }
            w[i] = classWeights[k] * (s == null ? 1 : s[i]);
        }
        return Tensor.wrap(w, y.length);
    }

    /**
     * scikit-learn's {@code class_weight="balanced"}: {@code n_samples / (n_classes * count_k)} for class {@code k}
     * (0 for a class without samples).
     */
    public static float[] balanced(Tensor labels, int classes) {
        float[] y = labels.contiguous().toArray();
        long[] counts = new long[classes];
        for (float v : y) {
            int k = (int) v;
            if (k != v || k < 0 || k >= classes) throw new IllegalArgumentException("balanced class weights: label " + v + " is not a class in [0, " + classes + ")");
            counts[k]++;
        }
        float[] w = new float[classes];
        for (int k = 0; k < classes; k++) w[k] = counts[k] == 0 ? 0 : (float) ((double) y.length / ((double) classes * counts[k]));
        return w;
    }

    /** Weights as {@code [N]}, each finite and at least 0, not all 0. */
    public static Tensor checked(Tensor weights) {
        if (weights.rank() != 1 && !(weights.rank() == 2 && weights.shape(1) == 1)) {
            throw new IllegalArgumentException("sample weights: expected one weight per sample, [N], got shape "
                    + java.util.Arrays.toString(weights.shape()));
        }
        float[] w = weights.contiguous().toArray();
        boolean any = false;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || !Float.isFinite(w[i])) {
                throw new IllegalArgumentException("sample weights: weight " + i + " is " + w[i] + " (weights must be finite and at least 0)");
            }
            any |= w[i] > 0;
        }
        if (!any) throw new IllegalArgumentException("sample weights: all are 0, so nothing would be learned");
        return Tensor.wrap(w, w.length);
    }

    /** That the weights of {@code options}, if any, are one per sample of the {@code samples} given to fit. */
    static void check(FitOptions options, int samples) {
        if (options.sampleWeights != null && options.sampleWeights.shape(0) != samples) {
            throw new IllegalArgumentException("fit: " + options.sampleWeights.shape(0) + " sample weights for "
                    + samples + " samples (give one weight per sample of x)");
        }
    }

    /** The loss of a batch: {@code loss.compute} without weights, the weighted mean with them. */
    static Tensor loss(Loss loss, Tensor output, Tensor targets, Tensor weights) {
        if (weights == null) return loss.compute(output, targets);
        return weighted(loss, output, targets, weights);
    }

    /** The weighted loss of a batch (see the class comment). */
    public static Tensor weighted(Loss loss, Tensor output, Tensor targets, Tensor weights) {
        Tensor perSample = loss.perSample(output, targets);
        Tensor total = perSample.mul(weights.reshape(perSample.shape())).sum();
        if (loss.reduction() == Reduction.SUM) return total;
        double sum = 0;
        for (float w : weights.contiguous().toArray()) sum += w;
        return sum > 0 ? total.div((float) sum) : total;
    }
}
