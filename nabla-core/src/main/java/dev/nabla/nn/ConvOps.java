package dev.nabla.nn;

import dev.nabla.ops.Conv2d;
import dev.nabla.ops.ConvSpec;
import dev.nabla.tensor.Tensor;

/** What the convolution layers pass the convolution op: padding on each side, strides, dilation, groups. */
final class ConvOps {

    private ConvOps() {
    }

    /** The op's description of a layer's sliding, with {@code pads = {top, bottom, left, right}}. */
    static ConvSpec spec(int[] strides, int[] pads, int[] dilation, int groups) {
        return new ConvSpec(strides[0], strides[1], pads[0], pads[1], pads[2], pads[3], dilation[0], dilation[1], groups, false);
    }

    /** {@code conv2d}; {@code bias} may be null. */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, boolean relu) {
        return Conv2d.apply(x, weight, bias, spec, relu);
    }
}
