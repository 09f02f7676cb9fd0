package dev.nabla.nn;

import dev.nabla.ops.Conv2d;
import dev.nabla.tensor.Tensor;

/** What the convolution layers need from the convolution op: padding on each side, groups. */
final class ConvOps {

    private ConvOps() {
    }

    /**
     * {@code conv2d} with {@code pads = {top, bottom, left, right}}; {@code bias} may be null. The op pads both sides of an
     * axis alike, so uneven padding (TensorFlow's "same" for even kernels or strides) and groups are not yet supported.
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] strides, int[] pads, int[] dilation, int groups,
                         boolean relu, Layer layer) {
        if (pads[0] != pads[1] || pads[2] != pads[3]) {
            throw new UnsupportedOperationException(layer + ": uneven padding " + java.util.Arrays.toString(pads)
                    + " is not supported yet; use an odd kernel with stride 1, or explicit padding");
        }
        if (groups != 1) throw new UnsupportedOperationException(layer + ": groups other than 1 are not supported yet");
        return Conv2d.apply(x, weight, bias, strides, new int[]{pads[0], pads[2]}, dilation, relu);
    }
}
