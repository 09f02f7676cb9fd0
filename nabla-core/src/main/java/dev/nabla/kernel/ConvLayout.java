package dev.nabla.kernel;

import java.util.Arrays;

/**
 * How one convolution geometry's images move in and out of the GEMM's matrices: the unfolding of an image into
 * columns (im2col) and its adjoint (col2im), and the copies between NCHW arrays and the {@code F x columns} product.
 *
 * <p>The general unfolding has one column per output pixel. The shifted one (stride 1, forward and weight gradient
 * only) keeps the padded input's row width: row {@code (c, kh, kw)} of the column matrix is then the padded image
 * itself, offset by {@code kh*dilationH*width + kw*dilationW}, one long copy instead of one per output row. Each output
 * row gets {@code dilationW*(kernelW-1)} junk columns, which the GEMM computes, the forward pass drops and the weight
 * gradient multiplies by a zero output gradient. (So a non-finite input can turn a weight gradient that would be
 * infinite into NaN: 0 * inf.)
 *
 * <p>Both unfoldings list the column matrix's rows channel by channel, so a grouped convolution's group is a
 * contiguous block of rows: one GEMM per group on the same matrices ({@link #kg}, {@link #fg}). Padding may differ
 * between the two sides of an axis: the unfoldings start windows at the top and left padding and take the output
 * size from the geometry.
 */
final class ConvLayout {

    /**
     * Floats of column matrix and product per GEMM block: large enough that a block of small images makes a GEMM wide
     * enough to run near full speed, small enough to stay in cache between the unfolding and the product.
     */
    private static final int BLOCK_FLOATS = 1 << 16;
    /**
     * The same for a GEMM that takes one caller at a time and runs its own threads (oneDNN): there the whole batch is
     * one thread's work, and wider products amortise the GEMM's thread start-up and operand copies. Measured on the
     * benchmark's CNN, 2 threads: 3.15-3.33k samples/s with 1M floats against 2.61-3.00k with 64K (three runs each).
     */
    private static final int SINGLE_CALLER_BLOCK_FLOATS = 1 << 20;

    /** Per-thread buffer for one zero-padded image (shifted unfolding with padding). */
    private static final ThreadLocal<float[]> PADDED = new ThreadLocal<>();

    final ConvGeometry g;
    final boolean shifted;
    final boolean pointwise;
    final int f, k, p, oh, ow, inImage;
    /**
     * Groups, and output channels and column-matrix rows per group: group {@code i}'s GEMM multiplies weight rows
     * {@code [i*fg, (i+1)*fg)} (each {@code kg} long) by column-matrix rows {@code [i*kg, (i+1)*kg)} into output rows
     * {@code [i*fg, (i+1)*fg)}, as im2col lists the rows channel by channel.
     */
    final int groups, fg, kg;
    /** GEMM columns per image: outH*outW, or outH * padded width when shifted. */
    final int span;
    /** Padded width and plane size, for the shifted unfolding. */
    final int wp, plane;
    final boolean padded;

    ConvLayout(ConvGeometry g, boolean shifted) {
        this.g = g;
        this.pointwise = g.isPointwise();
        this.shifted = shifted && !pointwise && g.strideH() == 1 && g.strideW() == 1;
        f = g.outChannels();
        k = g.inChannels() * g.kernelH() * g.kernelW();
        groups = g.groups();
        fg = f / groups;
        kg = k / groups;
        oh = g.outH();
        ow = g.outW();
        p = oh * ow;
        inImage = g.inChannels() * g.height() * g.width();
        wp = g.paddedWidth();
        plane = g.paddedHeight() * wp;
        padded = g.padTop() != 0 || g.padBottom() != 0 || g.padLeft() != 0 || g.padRight() != 0;
        span = this.shifted ? oh * wp : p;
        if ((long) k * span > Integer.MAX_VALUE - 8 || (long) g.inChannels() * plane > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: column matrix too large for " + g);
        }
    }

    /** True when the GEMM can write the image's output (or read its gradient) in place: no row matrix needed. */
    boolean direct(int images) {
        return images == 1 && !shifted;
    }

    /** Images per GEMM block, out of {@code images}. */
    int blockImages(int images) {
        long perImage = (long) (k + f) * span;
        int budget = Kernels.gemm().allowsConcurrentCalls() ? BLOCK_FLOATS : SINGLE_CALLER_BLOCK_FLOATS;
        return (int) Math.max(1, Math.min(images, budget / perImage));
    }

    /** Unfolds image {@code n} into columns {@code [offset, offset+span)} of the column matrix. */
    void unfold(float[] input, int n, float[] col, int offset, int ld) {
        if (!shifted) {
            im2col(g, input, n * inImage, col, offset, ld);
            return;
        }
        float[] src = input;
        int base = n * inImage;
        if (padded) {
            src = Conv2dKernels.scratch(PADDED, g.inChannels() * plane);
            pad(input, base, src);
            base = 0;
        }
        int limit = base + g.inChannels() * plane;
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int s = base + c * plane + i * g.dilationH() * wp + j * g.dilationW();
                    int d = offset + row * ld;
                    // the copy may stop short at the end of the image: only junk columns are cut off
                    int len = Math.max(0, Math.min(span, limit - s));
                    System.arraycopy(src, s, col, d, len);
                    if (len < span) Arrays.fill(col, d + len, d + span, 0f);
                }
            }
        }
    }

    /** Sets image {@code n}'s input gradient from columns {@code [offset, offset+P)} (general layout only). */
    void fold(float[] col, int offset, int ld, float[] gradInput, int n) {
        if (shifted) throw new IllegalStateException("conv2d: the shifted layout has no fold");
        int imageStart = n * inImage;
        Arrays.fill(gradInput, imageStart, imageStart + inImage, 0f);
        col2im(g, col, offset, ld, gradInput, imageStart);
    }

    /** Copies image {@code n}'s F x P output gradient into columns {@code [offset, offset+span)} of rows. */
    void gather(float[] gradOutput, int n, float[] rows, int offset, int ld) {
        int src = n * f * p;
        for (int oc = 0; oc < f; oc++) {
            int d = oc * ld + offset;
            if (!shifted) {
                System.arraycopy(gradOutput, src + oc * p, rows, d, p);
                continue;
            }
            for (int y = 0; y < oh; y++) {
                System.arraycopy(gradOutput, src + oc * p + y * ow, rows, d + y * wp, ow);
                Arrays.fill(rows, d + y * wp + ow, d + (y + 1) * wp, 0f);
            }
        }
    }

    /** Copies image {@code n}'s output from columns {@code [offset, offset+span)} of rows, adding the bias. */
    void scatter(float[] rows, int offset, int ld, float[] bias, float[] output, int n) {
        int dst = n * f * p;
        for (int oc = 0; oc < f; oc++) {
            int s = oc * ld + offset;
            int d = dst + oc * p;
            if (!shifted) {
                System.arraycopy(rows, s, output, d, p);
            } else {
                for (int y = 0; y < oh; y++) System.arraycopy(rows, s + y * wp, output, d + y * ow, ow);
            }
            if (bias != null) {
                // in place: a loop reading one array and writing another at different offsets would not vectorise
                float bv = bias[oc];
                for (int x = d; x < d + p; x++) output[x] += bv;
            }
        }
    }

    /** Copies one image into the middle of a zeroed, padded buffer. */
    private void pad(float[] input, int imageStart, float[] padded) {
        int h = g.height(), w = g.width();
        Arrays.fill(padded, 0, g.inChannels() * plane, 0f);
        for (int c = 0; c < g.inChannels(); c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(input, imageStart + (c * h + y) * w, padded,
                        c * plane + (y + g.padTop()) * wp + g.padLeft(), w);
            }
        }
    }

    // ---- general unfolding ---------------------------------------------------------------------------------------

    /**
     * Writes one image's column matrix: row {@code (c*KH + kh)*KW + kw}, column {@code oh*outW + ow} holds the input
     * pixel under kernel tap (kh, kw) at output position (oh, ow), or 0 in the padding. Rows are {@code ld} apart.
     */
    static void im2col(ConvGeometry g, float[] in, int inOffset, float[] col, int colOffset, int ld) {
        int h = g.height(), w = g.width(), kh = g.kernelH(), kw = g.kernelW();
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW();
        int ph = g.padTop(), pw = g.padLeft();
        int oh = g.outH(), ow = g.outW();
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = inOffset + c * h * w;
            for (int i = 0; i < kh; i++) {
                int ihBase = i * dh - ph;
                for (int j = 0; j < kw; j++, row++) {
                    int iwBase = j * dw - pw;
                    // output columns whose tap lands inside the image: the rest are padding
                    int lo = firstInside(iwBase, sw, ow);
                    int hi = endInside(iwBase, sw, w, ow, lo);
                    int dstRow = colOffset + row * ld;
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sh + ihBase;
                        int d = dstRow + y * ow;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, d, d + ow, 0f);
                            continue;
                        }
                        int src = plane + ih * w + iwBase;
                        if (lo > 0) Arrays.fill(col, d, d + lo, 0f);
                        if (sw == 1) {
                            // (no copy at all when the tap misses the row: with more padding on the right than the
                            // left, src + lo may lie past the end of the input even for an empty copy)
                            if (hi > lo) System.arraycopy(in, src + lo, col, d + lo, hi - lo);
                        } else {
                            for (int x = lo; x < hi; x++) col[d + x] = in[src + x * sw];
                        }
                        if (hi < ow) Arrays.fill(col, d + hi, d + ow, 0f);
                    }
                }
            }
        }
    }

    /** The transpose of {@link #im2col}: adds each column entry back onto its input pixel (padding is dropped). */
    static void col2im(ConvGeometry g, float[] col, int colOffset, int ld, float[] in, int inOffset) {
        int h = g.height(), w = g.width(), kh = g.kernelH(), kw = g.kernelW();
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW();
        int ph = g.padTop(), pw = g.padLeft();
        int oh = g.outH(), ow = g.outW();
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = inOffset + c * h * w;
            for (int i = 0; i < kh; i++) {
                int ihBase = i * dh - ph;
                for (int j = 0; j < kw; j++, row++) {
                    int iwBase = j * dw - pw;
                    int lo = firstInside(iwBase, sw, ow);
                    int hi = endInside(iwBase, sw, w, ow, lo);
                    int srcRow = colOffset + row * ld;
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sh + ihBase;
                        if (ih < 0 || ih >= h) continue;
                        int s = srcRow + y * ow;
                        int dst = plane + ih * w + iwBase;
                        if (sw == 1) {
                            for (int x = lo; x < hi; x++) in[dst + x] += col[s + x];
                        } else {
                            for (int x = lo; x < hi; x++) in[dst + x * sw] += col[s + x];
                        }
                    }
                }
            }
        }
    }

    /**
     * The first output column x with {@code x*stride + base >= 0}, capped at {@code outW}: where a kernel tap's
     * row starts to land inside the input (also used by {@link Pool2dKernels}).
     */
    static int firstInside(int base, int stride, int outW) {
        if (base >= 0) return 0;
        return Math.min(outW, (-base + stride - 1) / stride);
    }

    /** One past the last output column x with {@code x*stride + base < width}, at least {@code lo}. */
    static int endInside(int base, int stride, int width, int outW, int lo) {
        int last = width - 1 - base;
        if (last < 0) return lo;
        return Math.max(lo, Math.min(outW, last / stride + 1));
    }
}
