package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code relu(a + b)} for two tensors of one shape, as one op: a residual block's sum and its ReLU. The floats,
 * forward and backward, are those of {@code a.add(b).relu()}; but the sum is never a tensor of its own, so the pair
 * keeps one full-size tensor for its backward pass (the output, whose sign is ReLU's mask) instead of two, and sweeps
 * it once each way instead of twice. Both inputs receive the same gradient array, as {@link Add}'s do.
 */
public final class AddRelu extends Function {

    private Tensor output;

    private AddRelu() {
    }

    /** {@code max(a + b, 0)}; {@code a} and {@code b} must have the same shape (no broadcasting). */
    public static Tensor apply(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new ShapeException("add_relu: inputs must have the same shape, got " + Shape.str(a.shape()) + " and "
                    + Shape.str(b.shape()));
        }
        float[] x = Dense.zeroOffset(a);
        float[] y = Dense.zeroOffset(b);
        float[] out = StepArena.floats(a.size());
        Parallel.forRange(out.length, Dense.GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) out[i] = Math.max(x[i] + y[i], 0f);
        });
        Tensor result = Tensor.wrap(out, a.shape());
        if (!needsGrad(a, b)) return result;
        AddRelu fn = new AddRelu();
        fn.output = result.detach();
        return fn.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Relu.maskedGradient(Dense.zeroOffset(gradOutput), output.data());
        Tensor masked = Tensor.wrap(g, output.shape());
        return new Tensor[]{masked, masked};
    }

    @Override
    protected void releaseSaved() {
        output = null;
    }
}
