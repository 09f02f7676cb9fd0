package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Sum over the given axes (all when null), optionally keeping them as size-1 dimensions. */
public final class Sum extends Function {

    private final ReduceLayout layout;

    private Sum(ReduceLayout layout) {
        this.layout = layout;
    }

    public static Tensor apply(Tensor x, int[] axes, boolean keepDims) {
        ReduceLayout layout = new ReduceLayout("sum", x.shape(), axes, keepDims);
        float[] out = StepArena.floats(layout.outer);
        if (leadingAxesOfContiguous(layout, x)) {
            sumColumns(x, layout.inner, layout.outer, out);
        } else {
            Dense rows = layout.rows(x);
            float[] d = rows.data();
            int base = rows.offset();
            int inner = layout.inner;
            Parallel.forRange(layout.outer, Math.max(1, Dense.GRAIN / Math.max(1, inner)), (s, e) -> {
                for (int r = s; r < e; r++) {
                    float acc = 0f;
                    int p = base + r * inner;
                    for (int j = 0; j < inner; j++) acc += d[p + j];
                    out[r] = acc;
                }
            });
        }
        Tensor result = Tensor.wrap(out, layout.outShape);
        return needsGrad(x) ? new Sum(layout).record(result, x) : result;
    }

    /** Reduced axes are leading and the input contiguous: add rows of the input together (e.g. a bias gradient). */
    private static boolean leadingAxesOfContiguous(ReduceLayout layout, Tensor x) {
        if (!x.isContiguous() || layout.outer == 1) return false;
        int i = 0;
        while (i < layout.reduced.length && layout.reduced[i]) i++;
        if (i == 0) return false;
        for (int j = i; j < layout.reduced.length; j++) if (layout.reduced[j]) return false;
        return true;
    }

    private static void sumColumns(Tensor x, int rows, int cols, float[] out) {
        float[] d = x.data();
        int base = x.offset();
        Parallel.forRange(cols, Math.max(256, Dense.GRAIN / Math.max(1, rows)), (s, e) -> {
            for (int r = 0; r < rows; r++) {
                int p = base + r * cols;
                for (int j = s; j < e; j++) out[j] += d[p + j];
            }
        });
    }

    /** Sums {@code t} over the dimensions broadcasting added, so the result has {@code target}'s shape. */
    public static Tensor toShape(Tensor t, int[] target) {
        int[] shape = t.shape();
        if (java.util.Arrays.equals(shape, target)) return t;
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: cannot reduce shape " + Shape.str(shape) + " to "
                    + Shape.str(target));
        }
        int[] axes = new int[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) axes[n++] = i;
            else if (target[i - lead] != shape[i]) {
                throw new IllegalArgumentException("sumToShape: cannot reduce shape " + Shape.str(shape) + " to "
                        + Shape.str(target));
            }
        }
        Tensor summed = apply(t, java.util.Arrays.copyOf(axes, n), true);
        return summed.reshape(target);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[]{g.reshape(layout.keptShape).broadcastTo(layout.inputShape)};
    }
}
