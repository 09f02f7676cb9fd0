package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * Maximum over the given axes (all when null). The gradient flows to the first position holding the maximum, like
 * PyTorch's {@code max(dim)} and {@code adaptive_max_pool2d} (not like {@code amax}, which splits it between ties).
 * {@link GlobalMaxPool} is this over the spatial axes.
 */
public final class Max extends Function {

    private final ReduceLayout layout;
    private int[] winners;

    private Max(ReduceLayout layout, int[] winners) {
        this.layout = layout;
        this.winners = winners;
    }

    public static Tensor apply(Tensor x, int[] axes, boolean keepDims) {
        ReduceLayout layout = new ReduceLayout("max", x.shape(), axes, keepDims);
        if (layout.inner == 0) throw new IllegalArgumentException("max: cannot reduce over an empty axis of shape " + Shape.str(x.shape()));
        Dense rows = layout.rows(x);
        int[] winners = argmaxRows(rows, layout.outer, layout.inner);
        float[] out = new float[layout.outer];
        for (int r = 0; r < layout.outer; r++) out[r] = rows.data()[rows.offset() + r * layout.inner + winners[r]];
        Tensor result = Tensor.wrap(out, layout.outShape);
        return needsGrad(x) ? new Max(layout, winners).record(result, x) : result;
    }

    /**
     * Position of the maximum within each row of {@code outer x inner} values: the first on ties; a NaN wins, as in
     * PyTorch, so a NaN input makes a NaN maximum rather than vanishing.
     */
    static int[] argmaxRows(Dense rows, int outer, int inner) {
        float[] d = rows.data();
        int[] winners = new int[outer];
        int offset = rows.offset();
        Parallel.forRange(outer, Math.max(1, Dense.GRAIN / Math.max(1, inner)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int p = offset + r * inner;
                int best = 0;
                float bestValue = d[p];
                for (int j = 1; j < inner; j++) {
                    float v = d[p + j];
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                        bestValue = v;
                        best = j;
                    }
                }
                winners[r] = best;
            }
        });
        return winners;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Dense gd = Dense.of(g);
        float[] rows = new float[layout.outer * layout.inner];
        for (int r = 0; r < layout.outer; r++) rows[r * layout.inner + winners[r]] = gd.data()[gd.offset() + r];
        return new Tensor[]{layout.fromRows(rows)};
    }

    @Override
    protected void releaseSaved() {
        winners = null;
    }
}
