package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/**
 * Batch normalisation as one op, PyTorch's {@code F.batch_norm}: over {@code [N, C]}, {@code [N, C, L]} or
 * {@code [N, C, H, W]} input, statistics per channel (axis 1) over the batch and the spatial axes,
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}.
 *
 * <p>Training ({@code training}): mean and biased variance of the batch, computed in one pass per channel in double
 * (sums of {@code x - x0} and its square, {@code x0} the channel's first value, so that a mean far from zero costs no
 * precision); the running statistics, when given, are updated in place as PyTorch does:
 * {@code running = (1 - momentum) * running + momentum * batch}, with the unbiased variance ({@code * M / (M - 1)},
 * {@code M} values per channel) for the running estimate. As in PyTorch, training needs more than one value per
 * channel. Inference: normalises with the running statistics, which must then be given, and leaves them alone.
 *
 * <p>The backward pass is the closed form, one pass per channel: with {@code xhat = (x - mean) * invstd},
 * {@code dbeta = sum(g)}, {@code dgamma = sum(g * xhat)} and in training
 * {@code dx = gamma * invstd * (g - dbeta / M - xhat * dgamma / M)}; in inference {@code dx = g * gamma * invstd}.
 * {@code gamma} and {@code beta} may be null (no affine part: 1 and 0); the running statistics receive no gradient.
 * Channels are split over Nabla's threads; the per-element loops index every array alike, so the JIT vectorises them.
 *
 * <p>With {@code relu}, ReLU follows in the same pass ({@code max(y, 0)}), the floats forward and backward those of
 * {@code batchNorm(...).relu()}: a conv-batchnorm-ReLU layer then keeps two full-size tensors for its backward pass
 * (the input and the ReLU's output, whose sign is the mask) instead of three, and sweeps its activation once less
 * each way. Output and input gradient come from the step's arena ({@link StepArena}).
 */
public final class BatchNormOp extends Function {

    private final int n;
    private final int channels;
    private final int spatial;
    private final boolean training;
    private final boolean hasGamma;
    private final boolean hasBeta;
    private Tensor input;
    /** The output after a fused ReLU (positive exactly where ReLU's input was), or null without one. */
    private Tensor reluOutput;
    private float[] gamma;
    /** Per channel: the mean and 1/sqrt(var + eps) the forward pass normalised with (batch or running). */
    private float[] mean;
    private double[] invStd;

    private BatchNormOp(int n, int channels, int spatial, boolean training, Tensor input, float[] gamma,
                        boolean hasBeta, float[] mean, double[] invStd) {
        this.n = n;
        this.channels = channels;
        this.spatial = spatial;
        this.training = training;
        this.input = input;
        this.gamma = gamma;
        this.hasGamma = gamma != null;
        this.hasBeta = hasBeta;
        this.mean = mean;
        this.invStd = invStd;
    }

    /**
     * Normalises {@code x} per channel. {@code gamma}, {@code beta}: {@code [C]} or null. {@code runningMean},
     * {@code runningVar}: contiguous {@code [C]} tensors, updated in place in training (may be null there: then
     * nothing is tracked), required in inference. {@code momentum}: the weight of the new batch (PyTorch's 0.1).
     */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float momentum, float eps, boolean training) {
        return apply(x, gamma, beta, runningMean, runningVar, momentum, eps, training, false);
    }

    /** The same, followed by ReLU when {@code relu} is set (in the same pass; see the class comment). */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float momentum, float eps, boolean training, boolean relu) {
        int[] xs = x.shape();
        if (xs.length < 2) {
            throw new ShapeException("batch_norm: needs [N, C, ...] input, got " + Shape.str(xs));
        }
        int n = xs[0];
        int c = xs[1];
        int spatial = Shape.size(java.util.Arrays.copyOfRange(xs, 2, xs.length));
        checkChannels("gamma", gamma, c, xs);
        checkChannels("beta", beta, c, xs);
        checkChannels("running mean", runningMean, c, xs);
        checkChannels("running variance", runningVar, c, xs);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm: give both running statistics or neither");
        }
        if (!(eps >= 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("batch_norm: eps must be finite and non-negative, got " + eps);
        }
        long perChannel = (long) n * spatial;
        if (training && perChannel <= 1) {
            throw new ShapeException("batch_norm: expected more than 1 value per channel when training, got input "
                    + Shape.str(xs));
        }
        if (!training && runningMean == null) {
            throw new IllegalArgumentException("batch_norm: inference normalises with the running statistics, "
                    + "which are missing");
        }
        float[] xd = Dense.zeroOffset(x);
        float[] g = gamma == null ? null : gamma.toArray();
        float[] b = beta == null ? null : beta.toArray();
        float[] mean = new float[c];
        double[] invStd = new double[c];
        float[] out = StepArena.floats(x.size());
        if (training) {
            double[] var = new double[c];
            Parallel.forRange(c, grain(perChannel), (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double[] mv = meanAndVariance(xd, n, c, spatial, ch);
                    mean[ch] = (float) mv[0];
                    var[ch] = mv[1];
                    invStd[ch] = 1.0 / Math.sqrt(mv[1] + eps);
                    normalise(xd, out, n, c, spatial, ch, mean[ch], scale(g, ch, invStd[ch]), b == null ? 0f : b[ch],
                            relu);
                }
            });
            if (runningMean != null) updateRunning(runningMean, runningVar, mean, var, momentum, perChannel);
        } else {
            float[] rm = runningMean.toArray();
            float[] rv = runningVar.toArray();
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = rm[ch];
                invStd[ch] = 1.0 / Math.sqrt((double) rv[ch] + eps);
            }
            Parallel.forRange(c, grain(perChannel), (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    normalise(xd, out, n, c, spatial, ch, mean[ch], scale(g, ch, invStd[ch]), b == null ? 0f : b[ch],
                            relu);
                }
            });
        }
        Tensor result = Tensor.wrap(out, xs);
        if (!needsGrad(x, gamma, beta)) return result;
        BatchNormOp fn = new BatchNormOp(n, c, spatial, training, x.detach(), g, beta != null, mean, invStd);
        if (relu) fn.reluOutput = result.detach();
        return fn.record(result, x, gamma, beta);
    }

    private static void checkChannels(String what, Tensor t, int c, int[] xs) {
        if (t != null && (t.rank() != 1 || t.shape(0) != c)) {
            throw new ShapeException("batch_norm: " + what + " " + Shape.str(t.shape()) + " must be [" + c
                    + "] for input " + Shape.str(xs));
        }
    }

    /** Channels per thread: at least enough for {@link Dense#GRAIN} elements. */
    private static int grain(long perChannel) {
        return (int) Math.max(1, Dense.GRAIN / Math.max(1, perChannel));
    }

    private static float scale(float[] gamma, int ch, double invStd) {
        return (float) ((gamma == null ? 1.0 : gamma[ch]) * invStd);
    }

    /**
     * Mean and biased variance of channel {@code ch}, in double: one pass of sums of {@code d = x - x0} and
     * {@code d * d}, four accumulators each (independent chains, as one chain of double adds would be 4x slower).
     */
    static double[] meanAndVariance(float[] x, int n, int c, int spatial, int ch) {
        double pivot = x[ch * spatial];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (int img = 0; img < n; img++) {
            int start = (img * c + ch) * spatial;
            int end = start + spatial;
            int i = start;
            for (; i + 3 < end; i += 4) {
                double d0 = x[i] - pivot, d1 = x[i + 1] - pivot, d2 = x[i + 2] - pivot, d3 = x[i + 3] - pivot;
                s0 += d0;
                s1 += d1;
                s2 += d2;
                s3 += d3;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
            for (; i < end; i++) {
                double d = x[i] - pivot;
                s0 += d;
                q0 += d * d;
            }
        }
        double count = (double) n * spatial;
        double shift = ((s0 + s1) + (s2 + s3)) / count;
        double var = Math.max(0, ((q0 + q1) + (q2 + q3)) / count - shift * shift);
        return new double[]{pivot + shift, var};
    }

    /** {@code out = (x - mean) * scale + shift} over channel {@code ch}, then {@code max(out, 0)} with {@code relu}. */
    private static void normalise(float[] x, float[] out, int n, int c, int spatial, int ch, float mean, float scale,
                                  float shift, boolean relu) {
        for (int img = 0; img < n; img++) {
            int start = (img * c + ch) * spatial;
            int end = start + spatial;
            if (relu) {
                for (int i = start; i < end; i++) out[i] = Math.max((x[i] - mean) * scale + shift, 0f);
            } else {
                for (int i = start; i < end; i++) out[i] = (x[i] - mean) * scale + shift;
            }
        }
    }

    private static void updateRunning(Tensor runningMean, Tensor runningVar, float[] mean, double[] var,
                                      float momentum, long perChannel) {
        float[] rm = writable("running mean", runningMean);
        float[] rv = writable("running variance", runningVar);
        int om = runningMean.offset();
        int ov = runningVar.offset();
        double unbias = (double) perChannel / (perChannel - 1);
        for (int ch = 0; ch < mean.length; ch++) {
            rm[om + ch] = (float) ((1 - (double) momentum) * rm[om + ch] + (double) momentum * mean[ch]);
            rv[ov + ch] = (float) ((1 - (double) momentum) * rv[ov + ch] + (double) momentum * var[ch] * unbias);
        }
    }

    private static float[] writable(String what, Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("batch_norm: the " + what + " is updated in place and must be "
                    + "contiguous");
        }
        if (t.requiresGrad()) {
            throw new IllegalArgumentException("batch_norm: the " + what + " is a buffer updated in place and must "
                    + "not require a gradient");
        }
        return t.data();
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] x = Dense.zeroOffset(input);
        float[] upstream = Dense.zeroOffset(gradOutput);
        float[] y = reluOutput == null ? null : reluOutput.data();
        boolean wantX = needsInputGrad(0);
        boolean wantGamma = hasGamma && needsInputGrad(1);
        boolean wantBeta = hasBeta && needsInputGrad(2);
        // with a ReLU, its masked gradient goes into gx first and is overwritten in place by the input gradient
        float[] gx = wantX || y != null ? StepArena.floats(upstream.length) : null;
        float[] gGamma = wantGamma ? new float[channels] : null;
        float[] gBeta = wantBeta ? new float[channels] : null;
        long perChannel = (long) n * spatial;
        double count = perChannel;
        Parallel.forRange(channels, grain(perChannel), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float m = mean[ch];
                float[] g = upstream;
                if (y != null) {
                    // ReLU's backward first, as the unfused pair does: the gradient where the output was positive
                    for (int img = 0; img < n; img++) {
                        int start = (img * channels + ch) * spatial;
                        int end = start + spatial;
                        for (int i = start; i < end; i++) gx[i] = upstream[i] * Relu.positive(y[i]);
                    }
                    g = gx;
                }
                double[] sums = gradientSums(g, x, ch, m);
                double sumG = sums[0];
                double sumGxhat = sums[1] * invStd[ch];
                if (gGamma != null) gGamma[ch] = (float) sumGxhat;
                if (gBeta != null) gBeta[ch] = (float) sumG;
                if (!wantX) continue;
                double k = (hasGamma ? gamma[ch] : 1.0) * invStd[ch];
                if (training) {
                    // dx = k * (g - sumG / M - (x - mean) * invstd * sumGxhat / M) = a g + b (x - mean) + c
                    float a = (float) k;
                    float b = (float) (-k * invStd[ch] * sumGxhat / count);
                    float cc = (float) (-k * sumG / count);
                    for (int img = 0; img < n; img++) {
                        int start = (img * channels + ch) * spatial;
                        int end = start + spatial;
                        for (int i = start; i < end; i++) gx[i] = a * g[i] + b * (x[i] - m) + cc;
                    }
                } else {
                    float a = (float) k;
                    for (int img = 0; img < n; img++) {
                        int start = (img * channels + ch) * spatial;
                        int end = start + spatial;
                        for (int i = start; i < end; i++) gx[i] = a * g[i];
                    }
                }
            }
        });
        int[] shape = input.shape();
        return new Tensor[]{
                wantX ? Tensor.wrap(gx, shape) : null,
                gGamma == null ? null : Tensor.wrap(gGamma, channels),
                gBeta == null ? null : Tensor.wrap(gBeta, channels)};
    }

    /** {@code sum(g)} and {@code sum(g * (x - mean))} over channel {@code ch}, in double. */
    private double[] gradientSums(float[] g, float[] x, int ch, float m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (int img = 0; img < n; img++) {
            int start = (img * channels + ch) * spatial;
            int end = start + spatial;
            int i = start;
            for (; i + 3 < end; i += 4) {
                double g0 = g[i], g1 = g[i + 1], g2 = g[i + 2], g3 = g[i + 3];
                s0 += g0;
                s1 += g1;
                s2 += g2;
                s3 += g3;
                q0 += g0 * (x[i] - m);
                q1 += g1 * (x[i + 1] - m);
                q2 += g2 * (x[i + 2] - m);
                q3 += g3 * (x[i + 3] - m);
            }
            for (; i < end; i++) {
                s0 += g[i];
                q0 += (double) g[i] * (x[i] - m);
            }
        }
        return new double[]{(s0 + s1) + (s2 + s3), (q0 + q1) + (q2 + q3)};
    }

    @Override
    protected void releaseSaved() {
        input = null;
        reluOutput = null;
        gamma = null;
        mean = null;
        invStd = null;
    }
}
