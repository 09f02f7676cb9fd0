package dev.nabla.metrics;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Shared plumbing of the metrics that compare predicted and true classes: decodes each batch as {@link Classes}
 * describes and feeds the subclass one (predicted, true) pair at a time, with no per-sample allocation. The number
 * of classes is fixed by the first batch after a reset; a later batch with another count throws a
 * {@link ShapeException}.
 */
abstract class ClassificationMetric extends NamedMetric {

    private final boolean fromLogits;
    private final float threshold;
    private int classes = -1;

    ClassificationMetric(String name, boolean fromLogits) {
        super(name);
        this.fromLogits = fromLogits;
        this.threshold = Classes.threshold(fromLogits);
    }

    /** Called once per batch before its pairs, with the number of classes (2 for binary) and whether it is binary. */
    abstract void prepare(int classes, boolean binary);

    /** Counts one sample. */
    abstract void add(int predicted, int actual);

    /** Forgets the counts. */
    abstract void clear();

    @Override
    public final void reset() {
        classes = -1;
        clear();
    }

    @Override
    public final void update(Tensor predictions, Tensor targets) {
        int c = Classes.check(name(), predictions, targets);
        boolean binary = Classes.isBinary(name(), predictions, targets);
        if (classes >= 0 && c != classes) {
            throw new ShapeException(name() + ": batch has " + c + " classes (predictions of shape "
                    + dev.nabla.tensor.Shape.str(predictions.shape()) + "), earlier batches had " + classes
                    + "; call reset() between different models");
        }
        prepare(c, binary);
        classes = c;
        Classes.forEach(name(), predictions, targets, threshold, this::add);
    }

    /** Whether binary scores are logits (threshold 0) rather than probabilities (threshold 0.5). */
    public final boolean fromLogits() {
        return fromLogits;
    }

    /** The number of classes seen since the last reset (2 for binary), or -1 before the first batch. */
    public final int classes() {
        return classes;
    }
}
