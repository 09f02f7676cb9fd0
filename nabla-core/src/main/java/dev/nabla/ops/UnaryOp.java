package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Tensor;

/**
 * Shared plumbing of the elementwise one-input ops: subclasses write the forward loop and the backward loop over a
 * range of elements, side by side; this class handles layout, threads and what is saved for the backward pass.
 * The loops are called once per range, never per element, so each stays a tight loop the JIT vectorises.
 */
abstract class UnaryOp extends Function {

    private Tensor input;
    private Tensor output;

    /** {@code out[i] = f(x[xo + i])} for {@code i} in {@code [start, end)}. */
    abstract void forward(float[] x, int xo, float[] out, int start, int end);

    /**
     * {@code gradIn[i] = g[go + i] * f'(x)} for {@code i} in {@code [start, end)}, where the input is
     * {@code x[xo + i]} and the forward output {@code y[i]}.
     */
    abstract void backward(float[] g, int go, float[] x, int xo, float[] y, float[] gradIn, int start, int end);

    /** Runs the forward loop and records this op when the input needs a gradient. */
    final Tensor run(Tensor x) {
        Dense in = Dense.of(x);
        float[] xd = in.data();
        int xo = in.offset();
        float[] o = new float[in.size()];
        Parallel.forRange(o.length, Dense.GRAIN, (s, e) -> forward(xd, xo, o, s, e));
        Tensor out = Tensor.wrap(o, x.shape());
        if (!needsGrad(x)) return out;
        input = x.detach();
        output = out.detach();
        return record(out, x);
    }

    @Override
    protected final Tensor[] backward(Tensor gradOutput) {
        Dense g = Dense.of(gradOutput);
        Dense in = Dense.of(input);
        float[] y = output.data();
        float[] r = new float[g.size()];
        Parallel.forRange(r.length, Dense.GRAIN,
                (s, e) -> backward(g.data(), g.offset(), in.data(), in.offset(), y, r, s, e));
        return new Tensor[]{Tensor.wrap(r, input.shape())};
    }

    @Override
    protected final void releaseSaved() {
        input = null;
        output = null;
    }
}
