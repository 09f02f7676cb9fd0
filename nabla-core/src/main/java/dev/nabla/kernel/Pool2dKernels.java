package dev.nabla.kernel;

import java.util.Arrays;

/**
 * 2-D max and average pooling on contiguous NCHW float arrays, forward and backward, with PyTorch's semantics
 * ({@code ceil_mode=false}; average pooling counts padding, {@code count_include_pad=true}).
 *
 * <p>Work is split over the {@code batch x channels} planes, which are independent: every backward pass writes only
 * into its own plane, so threads never write to the same element.
 */
public final class Pool2dKernels {

    /** About this many window reads per thread before splitting a pooling over threads pays. */
    private static final long MIN_TASK_READS = 1L << 16;

    private Pool2dKernels() {
    }

    /**
     * Max pooling. Padding counts as negative infinity and a NaN wins, as in PyTorch; ties go to the first pixel in
     * row-major order. {@code argmax} receives, per output element, the winner's index within its input plane
     * ({@code ih * width + iw}), which {@link #maxPoolBackward} needs.
     */
    public static void maxPoolForward(PoolGeometry g, float[] input, float[] output, int[] argmax) {
        checkLength(g, "input", input, g.inputSize());
        checkLength(g, "output", output, g.outputSize());
        checkLength(g, "argmax", argmax, g.outputSize());
        int h = g.height(), w = g.width(), kh = g.kernelH(), kw = g.kernelW();
        int sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int oh = g.outH(), ow = g.outW();
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
            Parallel.forRange(g.batch() * g.channels(), grain(g),
                    (start, end) -> maxPool2x2(input, output, argmax, h, w, oh, ow, start, end));
            return;
        }
        Parallel.forRange(g.batch() * g.channels(), grain(g), (start, end) -> {
            for (int plane = start; plane < end; plane++) {
                int in = plane * h * w;
                int out = plane * oh * ow;
                // start each window at -inf on its first pixel, which keeps that index if every pixel is -inf
                for (int y = 0; y < oh; y++) {
                    int first = Math.max(y * sh - ph, 0) * w;
                    for (int x = 0; x < ow; x++) {
                        output[out + y * ow + x] = Float.NEGATIVE_INFINITY;
                        argmax[out + y * ow + x] = first + Math.max(x * sw - pw, 0);
                    }
                }
                // taps outermost and a whole output row innermost: long branch-free loops instead of 2x2 windows,
                // and each output still sees its pixels in row-major order, so the first of equal maxima wins
                for (int u = 0; u < kh; u++) {
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sh - ph + u;
                        if (ih < 0 || ih >= h) continue;
                        int o = out + y * ow;
                        for (int v = 0; v < kw; v++) {
                            int base = v - pw;
                            int lo = ConvLayout.firstInside(base, sw, ow);
                            int hi = ConvLayout.endInside(base, sw, w, ow, lo);
                            int rowIndex = ih * w + base;
                            int src = in + rowIndex;
                            for (int x = lo; x < hi; x++) {
                                float val = input[src + x * sw];
                                float cur = output[o + x];
                                boolean take = val > cur | val != val;
                                argmax[o + x] = take ? rowIndex + x * sw : argmax[o + x];
                                output[o + x] = Math.max(cur, val);
                            }
                        }
                    }
                }
                // Math.max (branch-free, unlike a float select) tracked the value for the comparisons; reading the
                // winner back keeps output and argmax consistent even where Math.max would pick +0 over an earlier -0
                for (int o = out; o < out + oh * ow; o++) output[o] = input[in + argmax[o]];
            }
        });
    }

    /**
     * The common 2x2, stride-2, unpadded max pooling, unrolled: the same comparisons as the general loop. Each choice
     * is a mask ({@code -1} or {@code 0}) blended into the window offset: about twice as fast as selecting with
     * {@code take ? x : y} (random data, 128 x 32 x 26 x 26, one thread: 2.5 against 4.7 ms), whose branches the
     * CPU mispredicts.
     */
    private static void maxPool2x2(float[] input, float[] output, int[] argmax, int h, int w, int oh, int ow,
                                   int start, int end) {
        for (int plane = start; plane < end; plane++) {
            int in = plane * h * w;
            int out = plane * oh * ow;
            for (int y = 0; y < oh; y++) {
                int rowStart = 2 * y * w;
                int r0 = in + rowStart;
                int o = out + y * ow;
                for (int x = 0; x < ow; x++) {
                    int i = r0 + 2 * x;
                    float a = input[i], b = input[i + 1], c = input[i + w], d = input[i + w + 1];
                    // the first pixel stands in for -inf: it wins against -inf unless it is -inf itself, and then
                    // PyTorch keeps its index anyway; NaN wins, ties keep the earlier pixel
                    int k = 0;
                    int take = b > a | b != b ? -1 : 0;
                    k = (k & ~take) | (1 & take);
                    float m = Math.max(a, b);
                    take = c > m | c != c ? -1 : 0;
                    k = (k & ~take) | (w & take);
                    m = Math.max(m, c);
                    take = d > m | d != d ? -1 : 0;
                    k = (k & ~take) | ((w + 1) & take);
                    argmax[o + x] = rowStart + 2 * x + k;
                    output[o + x] = input[i + k];
                }
            }
        }
    }

    /** Adds each output gradient onto the input pixel that won its window. Overwrites {@code gradInput}. */
    public static void maxPoolBackward(PoolGeometry g, float[] gradOutput, int[] argmax, float[] gradInput) {
        checkLength(g, "gradOutput", gradOutput, g.outputSize());
        checkLength(g, "argmax", argmax, g.outputSize());
        checkLength(g, "gradInput", gradInput, g.inputSize());
        int hw = g.height() * g.width();
        int ohw = g.outH() * g.outW();
        Parallel.forRange(g.batch() * g.channels(), grain(g), (start, end) -> {
            for (int plane = start; plane < end; plane++) {
                int in = plane * hw;
                int out = plane * ohw;
                Arrays.fill(gradInput, in, in + hw, 0f);
                for (int o = 0; o < ohw; o++) {
                    int index = argmax[out + o];
                    // an index outside the plane would land in another thread's plane: refuse it rather than race
                    if (index < 0 || index >= hw) {
                        throw new IllegalArgumentException(g.op() + ": argmax " + index + " at output element "
                                + (out + o) + " is outside its " + g.height() + "x" + g.width() + " input plane");
                    }
                    gradInput[in + index] += gradOutput[out + o];
                }
            }
        });
    }

    /**
     * Average pooling; each window's sum is divided by the full kernel area, padding included. (PyTorch divides by
     * the window clipped to the padded input, which without ceil mode always is the whole kernel.)
     */
    public static void avgPoolForward(PoolGeometry g, float[] input, float[] output) {
        checkLength(g, "input", input, g.inputSize());
        checkLength(g, "output", output, g.outputSize());
        int h = g.height(), w = g.width(), kh = g.kernelH(), kw = g.kernelW();
        int sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int oh = g.outH(), ow = g.outW();
        float divisor = kh * kw;
        Parallel.forRange(g.batch() * g.channels(), grain(g), (start, end) -> {
            for (int plane = start; plane < end; plane++) {
                int in = plane * h * w;
                int out = plane * oh * ow;
                Arrays.fill(output, out, out + oh * ow, 0f);
                // taps outermost, as in maxPoolForward: long inner loops over an output row
                for (int u = 0; u < kh; u++) {
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sh - ph + u;
                        if (ih < 0 || ih >= h) continue;
                        int o = out + y * ow;
                        for (int v = 0; v < kw; v++) {
                            int base = v - pw;
                            int lo = ConvLayout.firstInside(base, sw, ow);
                            int hi = ConvLayout.endInside(base, sw, w, ow, lo);
                            int src = in + ih * w + base;
                            for (int x = lo; x < hi; x++) output[o + x] += input[src + x * sw];
                        }
                    }
                }
                for (int o = out; o < out + oh * ow; o++) output[o] /= divisor;
            }
        });
    }

    /** Spreads each output gradient evenly over its window (padding's share is dropped). Overwrites gradInput. */
    public static void avgPoolBackward(PoolGeometry g, float[] gradOutput, float[] gradInput) {
        checkLength(g, "gradOutput", gradOutput, g.outputSize());
        checkLength(g, "gradInput", gradInput, g.inputSize());
        int h = g.height(), w = g.width(), kh = g.kernelH(), kw = g.kernelW();
        int sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int oh = g.outH(), ow = g.outW();
        float divisor = kh * kw;
        Parallel.forRange(g.batch() * g.channels(), grain(g), (start, end) -> {
            for (int plane = start; plane < end; plane++) {
                int in = plane * h * w;
                int out = plane * oh * ow;
                Arrays.fill(gradInput, in, in + h * w, 0f);
                for (int u = 0; u < kh; u++) {
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sh - ph + u;
                        if (ih < 0 || ih >= h) continue;
                        int o = out + y * ow;
                        for (int v = 0; v < kw; v++) {
                            int base = v - pw;
                            int lo = ConvLayout.firstInside(base, sw, ow);
                            int hi = ConvLayout.endInside(base, sw, w, ow, lo);
                            int dst = in + ih * w + base;
                            for (int x = lo; x < hi; x++) gradInput[dst + x * sw] += gradOutput[o + x] / divisor;
                        }
                    }
                }
            }
        });
    }

    /** Planes per thread so that each thread reads at least {@link #MIN_TASK_READS} window elements. */
    private static int grain(PoolGeometry g) {
        long perPlane = Math.max(1L, (long) g.outH() * g.outW() * g.kernelH() * g.kernelW()
                + (long) g.height() * g.width());
        return (int) Math.max(1, MIN_TASK_READS / perPlane);
    }

    private static void checkLength(PoolGeometry g, String name, float[] array, int needed) {
        checkLength(g, name, array == null ? -1 : array.length, needed);
    }

    private static void checkLength(PoolGeometry g, String name, int[] array, int needed) {
        checkLength(g, name, array == null ? -1 : array.length, needed);
    }

    private static void checkLength(PoolGeometry g, String name, int length, int needed) {
        if (length < 0) throw new IllegalArgumentException(g.op() + ": " + name + " is null");
        if (length < needed) {
            throw new IllegalArgumentException(g.op() + ": " + name + " has " + length + " elements, the geometry needs "
                    + needed);
        }
    }
}
