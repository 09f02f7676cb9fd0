package dev.nabla.kernel;

/**
 * The shape of a 2-D convolution over NCHW arrays: input {@code batch x inChannels x height x width}, weight
 * {@code outChannels x inChannels/groups x kernelH x kernelW}, output {@code batch x outChannels x outH x outW}.
 *
 * <p>Padding is given per side ({@code padTop, padBottom, padLeft, padRight}), so that TensorFlow's {@code 'same'}
 * (which puts the odd pixel at the bottom and right) is expressible; {@link #padH()} and {@link #padW()} are the
 * top and left ones, where the first window starts. Output sizes follow PyTorch:
 * {@code floor((in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride) + 1}.
 *
 * <p>With {@code groups > 1} the input channels and the output channels are split into {@code groups} equal,
 * consecutive parts, and output part {@code g} sees only input part {@code g} (PyTorch's {@code groups};
 * {@code groups == inChannels} is a depthwise convolution). The constructor rejects geometries whose output would be
 * empty, whose channels do not split into the groups, or whose arrays would not fit in a Java array.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels,
                           int kernelH, int kernelW, int strideH, int strideW,
                           int padTop, int padBottom, int padLeft, int padRight,
                           int dilationH, int dilationW, int groups) {

    public ConvGeometry {
        if (batch < 0 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1) {
            throw new IllegalArgumentException("conv2d: sizes must be positive (batch may be 0), got input "
                    + batch + "x" + inChannels + "x" + height + "x" + width + " and " + outChannels + " output channels");
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("conv2d: kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x"
                    + strideW + " and dilation " + dilationH + "x" + dilationW
                    + " must be positive and padding " + padText(padTop, padBottom, padLeft, padRight)
                    + " non-negative");
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: " + groups + " groups must divide both " + inChannels
                    + " input channels and " + outChannels + " output channels");
        }
        long effH = (long) dilationH * (kernelH - 1) + 1;
        long effW = (long) dilationW * (kernelW - 1) + 1;
        long paddedH = (long) height + padTop + padBottom;
        long paddedW = (long) width + padLeft + padRight;
        if (paddedH > Integer.MAX_VALUE / 2 || paddedW > Integer.MAX_VALUE / 2 || effH > Integer.MAX_VALUE / 2
                || effW > Integer.MAX_VALUE / 2) {
            // keeps every window coordinate the kernels compute (in int) from overflowing
            throw new IllegalArgumentException("conv2d: padded input " + paddedH + "x" + paddedW + " too large");
        }
        if (paddedH < effH || paddedW < effW) {
            throw new IllegalArgumentException("conv2d: output would be empty: input " + height + "x" + width
                    + " with padding " + padText(padTop, padBottom, padLeft, padRight) + " is smaller than kernel "
                    + kernelH + "x" + kernelW + " at dilation " + dilationH + "x" + dilationW + " (effective "
                    + effH + "x" + effW + ")");
        }
        long outH = (paddedH - effH) / strideH + 1;
        long outW = (paddedW - effW) / strideW + 1;
        // every index the kernels compute is an int, so every array (and one image's column matrix) must fit one
        long inputSize = (long) batch * inChannels * height * width;
        long outputSize = (long) batch * outChannels * outH * outW;
        long weightSize = (long) outChannels * (inChannels / groups) * kernelH * kernelW;
        long colSize = (long) inChannels * kernelH * kernelW * outH * outW;
        if (Math.max(Math.max(inputSize, outputSize), Math.max(weightSize, colSize)) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: arrays too large for input " + batch + "x" + inChannels + "x"
                    + height + "x" + width + ", kernel " + kernelH + "x" + kernelW + ", " + outChannels
                    + " output channels");
        }
    }

    /** Symmetric padding ({@code padH} top and bottom, {@code padW} left and right), one group. */
    public ConvGeometry(int batch, int inChannels, int height, int width, int outChannels,
                        int kernelH, int kernelW, int strideH, int strideW,
                        int padH, int padW, int dilationH, int dilationW) {
        this(batch, inChannels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH, padH, padW, padW,
                dilationH, dilationW, 1);
    }

    /** Dilation 1, one group, and the same kernel, stride and padding in both directions. */
    public static ConvGeometry of(int batch, int inChannels, int height, int width, int outChannels,
                                  int kernel, int stride, int pad) {
        return new ConvGeometry(batch, inChannels, height, width, outChannels, kernel, kernel, stride, stride,
                pad, pad, 1, 1);
    }

    /** The same convolution over {@code batch} images. */
    public ConvGeometry withBatch(int batch) {
        return batch == this.batch ? this : new ConvGeometry(batch, inChannels, height, width, outChannels, kernelH,
                kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups);
    }

    /** The top padding: the first window's row starts {@code padH} rows above the image. */
    public int padH() {
        return padTop;
    }

    /** The left padding: the first window's column starts {@code padW} columns left of the image. */
    public int padW() {
        return padLeft;
    }

    /** True when top equals bottom and left equals right padding (what PyTorch's {@code padding} expresses). */
    public boolean symmetricPadding() {
        return padTop == padBottom && padLeft == padRight;
    }

    /** Height of the padded input, {@code padTop + height + padBottom}. */
    public int paddedHeight() {
        return padTop + height + padBottom;
    }

    /** Width of the padded input, {@code padLeft + width + padRight}. */
    public int paddedWidth() {
        return padLeft + width + padRight;
    }

    public int outH() {
        return (int) (((long) height + padTop + padBottom - (long) dilationH * (kernelH - 1) - 1) / strideH + 1);
    }

    public int outW() {
        return (int) (((long) width + padLeft + padRight - (long) dilationW * (kernelW - 1) - 1) / strideW + 1);
    }

    /** Input channels per group (the weight's second dimension). */
    public int groupInChannels() {
        return inChannels / groups;
    }

    /** Output channels per group. */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /** Floats in the input array. */
    public int inputSize() {
        return batch * inChannels * height * width;
    }

    /** Floats in the weight array, {@code outChannels x inChannels/groups x kernelH x kernelW}. */
    public int weightSize() {
        return outChannels * groupInChannels() * kernelH * kernelW;
    }

    /** Floats in the output array. */
    public int outputSize() {
        return batch * outChannels * outH() * outW();
    }

    /** True for a 1x1 kernel with stride 1 and no padding, where the input already is the column matrix. */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padBottom == 0
                && padLeft == 0 && padRight == 0;
    }

    private static String padText(int top, int bottom, int left, int right) {
        return top == bottom && left == right ? top + "x" + left
                : "top " + top + ", bottom " + bottom + ", left " + left + ", right " + right;
    }
}
