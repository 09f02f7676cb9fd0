package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Softmax cross-entropy of logits {@code [N, C]} against class indices, like {@code torch.nn.CrossEntropyLoss} with
 * class targets: sample {@code i} of class {@code y_i} loses {@code -log_softmax(x)_{i, y_i}}. Labels are whole
 * numbers in {@code [0, C)} stored as floats, of shape {@code [N]} or {@code [N, 1]}; any other value throws an
 * {@link IllegalArgumentException} naming it and {@code C}. With label smoothing {@code eps} the one-hot target
 * becomes {@code (1 - eps) onehot + eps / C}, as in torch. {@link Reduction#MEAN} divides by {@code N}.
 *
 * <p>Computed by one fused op with a stable log-sum-exp whose backward writes {@code (softmax - target) / N}
 * directly, building neither a one-hot tensor nor the log-probabilities. Labels get no gradient.
 */
public final class SparseCategoricalCrossEntropy extends CrossEntropyLoss {

    public static final String NAME = "sparse_categorical_crossentropy";

    public SparseCategoricalCrossEntropy() {
        this(0f, Reduction.MEAN);
    }

    public SparseCategoricalCrossEntropy(float labelSmoothing) {
        this(labelSmoothing, Reduction.MEAN);
    }

    public SparseCategoricalCrossEntropy(float labelSmoothing, Reduction reduction) {
        super(NAME, labelSmoothing, reduction);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public SparseCategoricalCrossEntropy(Config config) {
        this(config.labelSmoothing(), config.reduction());
    }

    /**
     * @param reduction      how the per-sample losses become one number
     * @param labelSmoothing {@code eps} in {@code [0, 1]}: the targets become {@code (1 - eps) t + eps / C}
     */
    public record Config(@Default("mean") Reduction reduction, @Default("0.0") float labelSmoothing) {
    }

    @Override
    public Config config() {
        return new Config(reduction(), labelSmoothing());
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        LossChecks.requireLogits(NAME, predictions, targets);
        int n = predictions.shape(0);
        int[] ts = targets.shape();
        boolean fits = (ts.length == 1 && ts[0] == n) || (ts.length == 2 && ts[0] == n && ts[1] == 1);
        if (!fits) {
            throw new ShapeException(NAME + ": predictions of shape " + Shape.str(predictions.shape())
                    + " and targets of shape " + Shape.str(ts) + " do not fit; targets must be class indices [" + n
                    + "] or [" + n + ", 1] (for one-hot targets use categorical_crossentropy)");
        }
        return SoftmaxCrossEntropy.sparse(predictions, labels(NAME, targets, predictions.shape(1)), labelSmoothing(),
                reduction());
    }

    @Override
    public Tensor perSample(Tensor predictions, Tensor targets) {
        LossChecks.requireLogits(NAME, predictions, targets);
        int n = predictions.shape(0);
        int c = predictions.shape(1);
        int[] ts = targets.shape();
        // compute's checks and messages for targets that do not fit
        if (!((ts.length == 1 && ts[0] == n) || (ts.length == 2 && ts[0] == n && ts[1] == 1))) compute(predictions, targets);
        int[] labels = labels(NAME, targets, c);
        float[] hot = new float[n * c];
        for (int i = 0; i < n; i++) hot[i * c + labels[i]] = 1;
        return perSampleDense(predictions, Tensor.wrap(hot, n, c));
    }

    /** The labels as ints, each checked to be a whole number in {@code [0, classes)}. */
    static int[] labels(String loss, Tensor targets, int classes) {
        Tensor tc = targets.materialize(false);
        float[] d = tc.data();
        int o = tc.offset();
        int[] labels = new int[tc.size()];
        for (int i = 0; i < labels.length; i++) {
            float v = d[o + i];
            int k = (int) v;
            if (k != v || k < 0 || k >= classes) {
                throw new IllegalArgumentException(loss + ": label " + v + " of sample " + i + " is not a class index"
                        + " in [0, " + classes + ") for " + classes + " classes");
            }
            labels[i] = k;
        }
        return labels;
    }
}
