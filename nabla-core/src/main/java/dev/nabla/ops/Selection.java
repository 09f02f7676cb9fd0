package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The backward pass shared by {@link Maximum} and {@link Minimum}: each input gets the gradient where it wins, none
 * where it loses, and half of it on a tie, as in PyTorch; summed back to the input's shape after broadcasting.
 */
abstract class Selection extends Function {

    private final boolean larger;
    private Tensor a;
    private Tensor b;

    /** {@code larger}: the op keeps the larger input (maximum) rather than the smaller (minimum). */
    Selection(Tensor a, Tensor b, boolean larger) {
        this.a = a;
        this.b = b;
        this.larger = larger;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        // a wins the minimum exactly where b wins the maximum of (b, a): shares(b, a)[0] is 1 where b > a
        Tensor[] share = larger ? shares(a, b) : shares(b, a);
        return new Tensor[]{
                needsInputGrad(0) ? g.mul(share[0]).sumToShape(a.shape()) : null,
                needsInputGrad(1) ? g.mul(share[1]).sumToShape(b.shape()) : null};
    }

    @Override
    protected final void releaseSaved() {
        a = null;
        b = null;
    }

    /** Shares of the broadcast shape: {@code [share of x, share of y]} for {@code max(x, y)}. */
    private static Tensor[] shares(Tensor x, Tensor y) {
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
