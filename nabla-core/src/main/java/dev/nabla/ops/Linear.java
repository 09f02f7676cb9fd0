package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.autograd.GradMode;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * A dense layer's {@code x @ weight + bias}, optionally followed by ReLU, as one op (PyTorch's {@code addmm}, with the
 * activation fused). The bias and the ReLU are applied in place to the product's fresh buffer, so the layer allocates
 * and sweeps one output instead of three; the results, forward and backward, are the same floats as
 * {@code x.matmul(weight).add(bias).relu()}.
 *
 * <p>{@code weight} is {@code [in, units]}, {@code bias} (or null) {@code [units]}, {@code x} {@code [..., in]}.
 */
public final class Linear extends Function {

    private Tensor x;
    private Tensor weight;
    private final boolean hasBias;
    private final boolean relu;
    /** The output, kept for ReLU's gradient (positive exactly where the input to ReLU was). */
    private Tensor output;

    private Linear(boolean hasBias, boolean relu) {
        this.hasBias = hasBias;
        this.relu = relu;
    }

    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        if (weight.rank() != 2 || (bias != null && (bias.rank() != 1 || bias.shape(0) != weight.shape(1)))) {
            throw new ShapeException("linear: needs a [in, units] weight and a [units] bias, got "
                    + Shape.str(weight.shape()) + " and " + (bias == null ? "none" : Shape.str(bias.shape())));
        }
        Tensor product;
        try (var ignored = GradMode.noGrad()) {
            product = MatMul.apply(x, weight);
        }
        // the product is a new contiguous array that nothing else holds: safe to finish in place
        float[] y = product.data();
        int units = weight.shape(1);
        if ((bias != null || relu) && y.length > 0) {
            float[] b = bias == null ? null : Dense.zeroOffset(bias);
            Parallel.forRange(y.length / units, Math.max(1, Dense.GRAIN / units),
                    (r0, r1) -> finishRows(y, b, relu, units, r0, r1));
        }
        Tensor[] inputs = bias == null ? new Tensor[]{x, weight} : new Tensor[]{x, weight, bias};
        if (!needsGrad(inputs)) return product;
        Linear fn = new Linear(bias != null, relu);
        fn.x = x.detach();
        fn.weight = weight.detach();
        if (relu) fn.output = product.detach();
        return fn.record(product, inputs);
    }

    /** Adds the bias (unless null) to rows {@code [r0, r1)} of the product, then applies ReLU if asked, row by row. */
    private static void finishRows(float[] y, float[] bias, boolean relu, int units, int r0, int r1) {
        for (int row = r0; row < r1; row++) {
            int o = row * units;
            if (bias != null) for (int j = 0; j < units; j++) y[o + j] += bias[j];
            if (relu) Relu.forwardInPlace(y, o, o + units);
        }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gradPre = g;
        if (relu) gradPre = Tensor.wrap(Relu.maskedGradient(Dense.zeroOffset(g), output.data()), g.shape());
        // the same expressions as MatMul's and Add's backward, so the gradients are the same floats
        Tensor gradX = needsInputGrad(0) ? gradPre.matmul(weight.transpose(-1, -2)).sumToShape(x.shape()) : null;
        Tensor gradW = needsInputGrad(1) ? x.transpose(-1, -2).matmul(gradPre).sumToShape(weight.shape()) : null;
        if (!hasBias) return new Tensor[]{gradX, gradW};
        Tensor gradB = needsInputGrad(2) ? gradPre.sumToShape(new int[]{weight.shape(1)}) : null;
        return new Tensor[]{gradX, gradW, gradB};
    }

    @Override
    protected void releaseSaved() {
        x = null;
        weight = null;
        output = null;
    }
}
