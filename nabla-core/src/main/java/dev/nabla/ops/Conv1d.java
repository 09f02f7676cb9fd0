package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * 1-D convolution (PyTorch's {@code conv1d}) of {@code x [N, C, L]} with {@code weight [F, C/groups, K]} and an
 * optional {@code bias [F]}, output {@code [N, F, outL]}: {@link Conv2d} on {@code [N, C, 1, L]} and
 * {@code [F, C/groups, 1, K]}. The reshapes are views of contiguous tensors and the gradient flows back through them,
 * so this is {@code Conv2d}'s speed and both kernel paths; there is no op of its own.
 */
public final class Conv1d {

    private Conv1d() {
    }

    /**
     * Stride, padding {@code {p}} (both ends) or {@code {left, right}} (null: none), dilation and groups, then ReLU
     * when {@code relu}; {@code bias} may be null.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int[] padding, int dilation,
                               int groups, boolean relu) {
        int left = 0;
        int right = 0;
        if (padding != null) {
            if (padding.length == 1) {
                left = right = padding[0];
            } else if (padding.length == 2) {
                left = padding[0];
                right = padding[1];
            } else {
                throw new IllegalArgumentException("conv1d: padding needs 1 or 2 ({left, right}) values, got "
                        + padding.length);
            }
        }
        return apply(x, weight, bias, ConvSpec.of1d(stride, left, right, dilation, groups), relu);
    }

    /**
     * As {@code spec} says, which must leave the height axis alone (stride and dilation 1, no top or bottom
     * padding): {@link ConvSpec#of1d}, {@link ConvSpec#same1d}.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, boolean relu) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        if (xs.length != 3 || ws.length != 3) {
            throw new ShapeException("conv1d: needs input [N, C, L] and weight [F, C/groups, K], got "
                    + Shape.str(xs) + " and " + Shape.str(ws));
        }
        if (spec.strideH() != 1 || spec.dilationH() != 1 || spec.padTop() != 0 || spec.padBottom() != 0) {
            throw new IllegalArgumentException("conv1d: the spec must only stride, dilate and pad the length axis, got "
                    + spec);
        }
        Tensor y = Conv2d.apply(x.reshape(xs[0], xs[1], 1, xs[2]), weight.reshape(ws[0], ws[1], 1, ws[2]), bias,
                spec, relu);
        return y.reshape(xs[0], ws[0], y.shape(3));
    }
}
