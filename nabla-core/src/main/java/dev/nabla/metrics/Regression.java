package dev.nabla.metrics;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/** Shape rule of the regression metrics: one shape, with {@code [N]} and {@code [N, 1]} accepted for one another. */
final class Regression {

    private Regression() {
    }

    /** Checks the shapes; returns the number of output columns (elements per sample, 1 for {@code [N]}). */
    static int columns(String metric, Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, metric + ": predictions are null");
        Objects.requireNonNull(targets, metric + ": targets are null");
        int[] p = predictions.shape();
        int[] t = targets.shape();
        boolean column = (p.length == 2 && t.length == 1 && p[1] == 1 && p[0] == t[0])
                || (t.length == 2 && p.length == 1 && t[1] == 1 && t[0] == p[0]);
        if (!Arrays.equals(p, t) && !column) {
            throw new ShapeException(metric + ": predictions of shape " + Shape.str(p) + " and targets of shape "
                    + Shape.str(t) + " differ");
        }
        if (p.length == 0) return 1;
        return p[0] == 0 ? 1 : predictions.size() / p[0];
    }
}
