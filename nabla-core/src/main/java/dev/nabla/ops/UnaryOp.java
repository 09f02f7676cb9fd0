package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/**
 * Shared plumbing of the elementwise one-input ops: subclasses write the forward loop and the backward loop over a
 * range of elements, side by side; this class handles layout, threads and what is saved for the backward pass.
 * The loops are called once per range, never per element, so each stays a tight loop the JIT vectorises.
 */
abstract class UnaryOp extends Function {

    private Tensor input;
    private Tensor output;

    /**
     * {@code out[i] = f(x[i])} for {@code i} in {@code [start, end)}. Every array is indexed by the loop variable
     * alone: with an offset on one of them, C2 cannot rule out overlapping arrays and leaves the loop scalar.
     */
    abstract void forward(float[] x, float[] out, int start, int end);

    /** {@code gradIn[i] = g[i] * f'(x[i])} for {@code i} in {@code [start, end)}, where {@code y[i]} is the output. */
    abstract void backward(float[] g, float[] x, float[] y, float[] gradIn, int start, int end);

    /** Runs the forward loop and records this op when the input needs a gradient. */
    final Tensor run(Tensor x) {
        float[] xd = Dense.zeroOffset(x);
        float[] o = StepArena.floats(x.size());
        Parallel.forRange(o.length, Dense.GRAIN, (s, e) -> forward(xd, o, s, e));
        Tensor out = Tensor.wrap(o, x.shape());
        if (!needsGrad(x)) return out;
        input = x.detach();
        output = out.detach();
        return record(out, x);
    }

    @Override
    protected final Tensor[] backward(Tensor gradOutput) {
        float[] g = Dense.zeroOffset(gradOutput);
        float[] x = Dense.zeroOffset(input);
        float[] y = output.data();
        float[] r = StepArena.floats(gradOutput.size());
        Parallel.forRange(r.length, Dense.GRAIN, (s, e) -> backward(g, x, y, r, s, e));
        return new Tensor[]{Tensor.wrap(r, input.shape())};
    }

    @Override
    protected final void releaseSaved() {
        input = null;
        output = null;
    }
}
