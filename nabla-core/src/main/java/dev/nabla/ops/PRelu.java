package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Parametric ReLU, PyTorch's {@code prelu}: {@code x} for positive inputs, {@code alpha[c] * x} otherwise, with a
 * learnable slope per channel (axis 1; {@code alpha} of shape {@code [C]}) or one shared slope ({@code alpha} of shape
 * {@code [1]}, the only choice for inputs of rank below 2). Gradients flow to both {@code x} and {@code alpha}; at
 * {@code x == 0} the input gradient uses the slope and the slope gets nothing, as in PyTorch.
 */
public final class PRelu extends Function {

    private final int outer;
    private final int channels;
    private final int inner;
    private Tensor input;
    private Tensor alpha;

    private PRelu(int outer, int channels, int inner, Tensor input, Tensor alpha) {
        this.outer = outer;
        this.channels = channels;
        this.inner = inner;
        this.input = input;
        this.alpha = alpha;
    }

    public static Tensor apply(Tensor x, Tensor alpha) {
        int[] xs = x.shape();
        int channels = xs.length >= 2 ? xs[1] : 1;
        boolean shared = alpha.rank() == 1 && alpha.shape(0) == 1;
        if (!shared && (alpha.rank() != 1 || alpha.shape(0) != channels)) {
            throw new ShapeException("prelu: alpha " + Shape.str(alpha.shape()) + " must be [1] or [" + channels
                    + "] (one slope per channel of axis 1) for input " + Shape.str(xs));
        }
        int outer = xs.length >= 2 ? xs[0] : 1;
        int n = x.size();
        int inner = outer * channels == 0 ? 0 : n / (outer * channels);
        // a shared slope is a per-channel one with one channel: the rows are then whole samples
        int rowChannels = shared ? 1 : channels;
        int rowInner = shared ? (outer == 0 ? 0 : n / Math.max(1, outer)) : inner;
        float[] xd = Dense.zeroOffset(x);
        float[] a = alpha.toArray();
        float[] out = new float[n];
        forEachRow(outer * rowChannels, rowInner, (row, s, e) -> {
            float slope = a[row % rowChannels];
            for (int i = s; i < e; i++) {
                float v = xd[i];
                out[i] = Math.max(v, 0f) + slope * Math.min(v, 0f);
            }
        });
        Tensor result = Tensor.wrap(out, xs);
        if (!needsGrad(x, alpha)) return result;
        return new PRelu(outer, rowChannels, rowInner, x.detach(), alpha.detach()).record(result, x, alpha);
    }

    private interface RowBody {
        /** Elements {@code [start, end)}, all in row {@code row} (one channel of one sample). */
        void run(int row, int start, int end);
    }

    /** Runs {@code body} over {@code rows} rows of {@code inner} elements, a range of rows per thread. */
    private static void forEachRow(int rows, int inner, RowBody body) {
        Parallel.forRange(rows, Math.max(1, Dense.GRAIN / Math.max(1, inner)), (s, e) -> {
            for (int r = s; r < e; r++) body.run(r, r * inner, (r + 1) * inner);
        });
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Dense.zeroOffset(gradOutput);
        float[] xd = Dense.zeroOffset(input);
        float[] a = alpha.toArray();
        Tensor gradInput = null;
        if (needsInputGrad(0)) {
            float[] gi = new float[g.length];
            forEachRow(outer * channels, inner, (row, s, e) -> {
                float slope = a[row % channels];
                for (int i = s; i < e; i++) {
                    float positive = Relu.positive(xd[i]);
                    gi[i] = g[i] * (positive + slope * (1f - positive));
                }
            });
            gradInput = Tensor.wrap(gi, input.shape());
        }
        Tensor gradAlpha = null;
        if (needsInputGrad(1)) {
            // sum over every sample of g * min(x, 0), per channel, in double; each thread owns whole channels
            float[] ga = new float[channels];
            Parallel.forRange(channels, Math.max(1, Dense.GRAIN / Math.max(1, outer * inner)), (c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    double sum = 0;
                    for (int n = 0; n < outer; n++) {
                        int base = (n * channels + c) * inner;
                        sum += negativePartDot(g, xd, base, base + inner);
                    }
                    ga[c] = (float) sum;
                }
            });
            gradAlpha = Tensor.wrap(ga, alpha.shape());
        }
        return new Tensor[]{gradInput, gradAlpha};
    }

    /** {@code sum g[i] * min(x[i], 0)} over {@code [start, end)}: four float partial sums per block, added in double. */
    private static double negativePartDot(float[] g, float[] x, int start, int end) {
        double total = 0;
        for (int b = start; b < end; b += 256) {
            int stop = Math.min(end, b + 256);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            int i = b;
            for (; i + 3 < stop; i += 4) {
                s0 += g[i] * Math.min(x[i], 0f);
                s1 += g[i + 1] * Math.min(x[i + 1], 0f);
                s2 += g[i + 2] * Math.min(x[i + 2], 0f);
                s3 += g[i + 3] * Math.min(x[i + 3], 0f);
            }
            for (; i < stop; i++) s0 += g[i] * Math.min(x[i], 0f);
            total += (s0 + s1) + (s2 + s3);
        }
        return total;
    }

    @Override
    protected void releaseSaved() {
        input = null;
        alpha = null;
    }
}
