package dev.nabla.loss;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/** Argument checks shared by the losses; every message names the loss and the shapes involved. */
final class LossChecks {

    private LossChecks() {
    }

    /**
     * The targets of an elementwise loss in the predictions' shape. Shapes must match, except that {@code [N]} and
     * {@code [N, 1]} are accepted for one another (a single-output model and a vector of targets), the targets then
     * being viewed in the predictions' shape. Anything else is refused rather than broadcast: broadcasting
     * {@code [N, 1]} against {@code [N]} would silently compare every prediction with every target.
     */
    static Tensor elementwiseTargets(String loss, Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, loss + ": predictions are null");
        Objects.requireNonNull(targets, loss + ": targets are null");
        int[] p = predictions.shape();
        int[] t = targets.shape();
        if (Arrays.equals(p, t)) return targets;
        if (isColumnOf(p, t) || isColumnOf(t, p)) return targets.reshape(p);
        throw new ShapeException(loss + ": predictions of shape " + Shape.str(p) + " and targets of shape "
                + Shape.str(t) + " differ");
    }

    /** True when {@code column} is {@code [n, 1]} and {@code vector} is {@code [n]}. */
    private static boolean isColumnOf(int[] column, int[] vector) {
        return column.length == 2 && vector.length == 1 && column[1] == 1 && column[0] == vector[0];
    }

    /** Checks that predictions are {@code [batch, classes]} logits with at least one class. */
    static void requireLogits(String loss, Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, loss + ": predictions are null");
        Objects.requireNonNull(targets, loss + ": targets are null");
        if (predictions.rank() != 2 || predictions.shape(1) < 1) {
            throw new ShapeException(loss + ": predictions of shape " + Shape.str(predictions.shape())
                    + " must be logits [batch, classes] (targets of shape " + Shape.str(targets.shape()) + ")");
        }
    }

    /** Checks a label-smoothing factor: torch accepts {@code 0 <= eps <= 1}. */
    static float smoothing(String loss, float eps) {
        if (!(eps >= 0f && eps <= 1f)) {
            throw new IllegalArgumentException(loss + ": label smoothing must be in [0, 1], got " + eps);
        }
        return eps;
    }

    static Reduction reduction(String loss, Reduction reduction) {
        return Objects.requireNonNull(reduction, loss + ": reduction is null");
    }
}
