package dev.nabla.loss;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * Softmax cross-entropy of logits {@code [N, C]} against one-hot or probability targets {@code [N, C]}, like
 * {@code torch.nn.CrossEntropyLoss} with probability targets: sample {@code i} loses
 * {@code -sum_j t_ij log_softmax(x)_ij}. With label smoothing {@code eps} the targets become
 * {@code (1 - eps) t + eps / C} first. {@link Reduction#MEAN} divides the summed sample losses by {@code N}.
 *
 * <p>Computed by one fused op with a stable log-sum-exp (finite for logits of any magnitude) whose backward writes
 * {@code (softmax - target) / N} directly. Targets may require a gradient (e.g. distillation from a teacher's
 * probabilities). For integer class labels use {@link SparseCategoricalCrossEntropy}.
 */
public final class CategoricalCrossEntropy extends CrossEntropyLoss {

    public static final String NAME = "categorical_crossentropy";

    public CategoricalCrossEntropy() {
        this(0f, Reduction.MEAN);
    }

    public CategoricalCrossEntropy(float labelSmoothing) {
        this(labelSmoothing, Reduction.MEAN);
    }

    public CategoricalCrossEntropy(float labelSmoothing, Reduction reduction) {
        super(NAME, labelSmoothing, reduction);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public CategoricalCrossEntropy(Config config) {
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
        if (!Arrays.equals(predictions.shape(), targets.shape())) {
            throw new ShapeException(NAME + ": predictions of shape " + Shape.str(predictions.shape())
                    + " and targets of shape " + Shape.str(targets.shape()) + " differ; targets must be one-hot or"
                    + " probabilities [batch, classes] (for class indices use sparse_categorical_crossentropy)");
        }
        return SoftmaxCrossEntropy.dense(predictions, targets, labelSmoothing(), reduction());
    }

    @Override
    public Tensor perSample(Tensor predictions, Tensor targets) {
        LossChecks.requireLogits(NAME, predictions, targets);
        if (!Arrays.equals(predictions.shape(), targets.shape())) compute(predictions, targets);
        return perSampleDense(predictions, targets);
    }
}
