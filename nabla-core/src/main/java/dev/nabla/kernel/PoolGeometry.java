package dev.nabla.kernel;

/**
 * The shape of a 2-D pooling over NCHW arrays: input {@code batch x channels x height x width}, output
 * {@code batch x channels x outH x outW} with {@code out = floor((in + 2*pad - kernel) / stride) + 1} (PyTorch,
 * {@code ceil_mode=false}). {@code op} ({@code "max_pool2d"} or {@code "avg_pool2d"}) only names the operation in
 * error messages.
 *
 * <p>As in PyTorch, padding may be at most half the kernel, so every window holds at least one input pixel.
 */
public record PoolGeometry(String op, int batch, int channels, int height, int width,
                           int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    public PoolGeometry {
        if (op == null) op = "pool2d";
        if (batch < 0 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(op + ": input sizes must be positive (batch may be 0), got "
                    + batch + "x" + channels + "x" + height + "x" + width);
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(op + ": kernel " + kernelH + "x" + kernelW + " and stride " + strideH
                    + "x" + strideW + " must be positive");
        }
        if (padH < 0 || padW < 0 || padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException(op + ": padding " + padH + "x" + padW
                    + " must be non-negative and at most half of kernel " + kernelH + "x" + kernelW);
        }
        if (height + 2L * padH < kernelH || width + 2L * padW < kernelW) {
            throw new IllegalArgumentException(op + ": output would be empty: input " + height + "x" + width
                    + " with padding " + padH + "x" + padW + " is smaller than kernel " + kernelH + "x" + kernelW);
        }
        long outH = (height + 2L * padH - kernelH) / strideH + 1;
        long outW = (width + 2L * padW - kernelW) / strideW + 1;
        if ((long) batch * channels * Math.max((long) height * width, outH * outW) > Integer.MAX_VALUE - 8
                || height + 2L * padH > Integer.MAX_VALUE / 2 || width + 2L * padW > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(op + ": arrays too large for input " + batch + "x" + channels + "x"
                    + height + "x" + width);
        }
    }

    /** A max pooling with the same kernel, stride and padding in both directions. */
    /** The same pooling over {@code batch} images. */
    public PoolGeometry withBatch(int batch) {
        return batch == this.batch ? this : new PoolGeometry(op, batch, channels, height, width, kernelH, kernelW,
                strideH, strideW, padH, padW);
    }

    public static PoolGeometry maxPool(int batch, int channels, int height, int width, int kernel, int stride, int pad) {
        return new PoolGeometry("max_pool2d", batch, channels, height, width, kernel, kernel, stride, stride, pad, pad);
    }

    /** An average pooling with the same kernel, stride and padding in both directions. */
    public static PoolGeometry avgPool(int batch, int channels, int height, int width, int kernel, int stride, int pad) {
        return new PoolGeometry("avg_pool2d", batch, channels, height, width, kernel, kernel, stride, stride, pad, pad);
    }

    public int outH() {
        return (height + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW() {
        return (width + 2 * padW - kernelW) / strideW + 1;
    }

    /** Floats in the input array. */
    public int inputSize() {
        return batch * channels * height * width;
    }

    /** Floats in the output (and argmax) array. */
    public int outputSize() {
        return batch * channels * outH() * outW();
    }
}
