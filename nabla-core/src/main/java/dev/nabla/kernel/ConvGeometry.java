package dev.nabla.kernel;

/**
 * The shape of a 2-D convolution over NCHW arrays: input {@code batch x inChannels x height x width}, weight
 * {@code outChannels x inChannels x kernelH x kernelW}, output {@code batch x outChannels x outH x outW}.
 *
 * <p>Output sizes follow PyTorch: {@code floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1}. The constructor
 * rejects geometries whose output would be empty or whose arrays would not fit in a Java array.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels,
                           int kernelH, int kernelW, int strideH, int strideW,
                           int padH, int padW, int dilationH, int dilationW) {

    public ConvGeometry {
        if (batch < 0 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1) {
            throw new IllegalArgumentException("conv2d: sizes must be positive (batch may be 0), got input "
                    + batch + "x" + inChannels + "x" + height + "x" + width + " and " + outChannels + " output channels");
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x"
                    + strideW + " and dilation " + dilationH + "x" + dilationW
                    + " must be positive and padding " + padH + "x" + padW + " non-negative");
        }
        long effH = (long) dilationH * (kernelH - 1) + 1;
        long effW = (long) dilationW * (kernelW - 1) + 1;
        if (height + 2L * padH > Integer.MAX_VALUE / 2 || width + 2L * padW > Integer.MAX_VALUE / 2) {
            // keeps every window coordinate the kernels compute (in int) from overflowing
            throw new IllegalArgumentException("conv2d: padded input " + (height + 2L * padH) + "x"
                    + (width + 2L * padW) + " too large");
        }
        if (height + 2L * padH < effH || width + 2L * padW < effW) {
            throw new IllegalArgumentException("conv2d: output would be empty: input " + height + "x" + width
                    + " with padding " + padH + "x" + padW + " is smaller than kernel " + kernelH + "x" + kernelW
                    + " at dilation " + dilationH + "x" + dilationW + " (effective " + effH + "x" + effW + ")");
        }
        long outH = (height + 2L * padH - effH) / strideH + 1;
        long outW = (width + 2L * padW - effW) / strideW + 1;
        // every index the kernels compute is an int, so every array (and one image's column matrix) must fit one
        long inputSize = (long) batch * inChannels * height * width;
        long outputSize = (long) batch * outChannels * outH * outW;
        long weightSize = (long) outChannels * inChannels * kernelH * kernelW;
        long colSize = (long) inChannels * kernelH * kernelW * outH * outW;
        if (Math.max(Math.max(inputSize, outputSize), Math.max(weightSize, colSize)) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: arrays too large for input " + batch + "x" + inChannels + "x"
                    + height + "x" + width + ", kernel " + kernelH + "x" + kernelW + ", " + outChannels
                    + " output channels");
        }
    }

    /** Dilation 1 and the same kernel, stride and padding in both directions. */
    public static ConvGeometry of(int batch, int inChannels, int height, int width, int outChannels,
                                  int kernel, int stride, int pad) {
        return new ConvGeometry(batch, inChannels, height, width, outChannels, kernel, kernel, stride, stride,
                pad, pad, 1, 1);
    }

    /** The same convolution over {@code batch} images. */
    public ConvGeometry withBatch(int batch) {
        return batch == this.batch ? this : new ConvGeometry(batch, inChannels, height, width, outChannels, kernelH,
                kernelW, strideH, strideW, padH, padW, dilationH, dilationW);
    }

    public int outH() {
        return (int) ((height + 2L * padH - (long) dilationH * (kernelH - 1) - 1) / strideH + 1);
    }

    public int outW() {
        return (int) ((width + 2L * padW - (long) dilationW * (kernelW - 1) - 1) / strideW + 1);
    }

    /** Floats in the input array. */
    public int inputSize() {
        return batch * inChannels * height * width;
    }

    /** Floats in the weight array. */
    public int weightSize() {
        return outChannels * inChannels * kernelH * kernelW;
    }

    /** Floats in the output array. */
    public int outputSize() {
        return batch * outChannels * outH() * outW();
    }

    /** True for a 1x1 kernel with stride 1 and no padding, where the input already is the column matrix. */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }
}
