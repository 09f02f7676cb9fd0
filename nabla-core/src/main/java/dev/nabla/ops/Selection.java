package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/** Gradient shares for maximum/minimum: 1 where an input wins, 0 where it loses, 1/2 on a tie. */
final class Selection {

    private Selection() {
    }

    /** Shares of the broadcast shape: {@code [share of x, share of y]} for {@code max(x, y)}. */
    static Tensor[] shares(Tensor x, Tensor y) {
        int[] shape = Shape.broadcast("maximum", x.shape(), y.shape());
        float[] xs = x.broadcastTo(shape).toArray();
        float[] ys = y.broadcastTo(shape).toArray();
        int n = Shape.size(shape);
        float[] sx = new float[n];
        float[] sy = new float[n];
        for (int i = 0; i < n; i++) {
            float share = xs[i] > ys[i] ? 1f : xs[i] < ys[i] ? 0f : 0.5f;
            sx[i] = share;
            sy[i] = 1f - share;
        }
        return new Tensor[]{Tensor.wrap(sx, shape), Tensor.wrap(sy, shape)};
    }
}
