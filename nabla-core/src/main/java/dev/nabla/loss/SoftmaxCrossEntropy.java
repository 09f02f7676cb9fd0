package dev.nabla.loss;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/**
 * The fused softmax cross-entropy behind {@link CategoricalCrossEntropy} and {@link SparseCategoricalCrossEntropy}:
 * from logits {@code x [N, C]} straight to the reduced scalar loss, without the intermediate log-probability or
 * one-hot tensors a composition would build.
 *
 * <p>With smoothed targets {@code t' = (1 - eps) t + eps / C} and {@code lse_i = log(sum_j exp(x_ij))} (computed
 * stably from the row maximum, so any logit magnitude is fine), sample {@code i} loses
 * {@code sum_j t'_ij (lse_i - x_ij)}, and the gradient is {@code (softmax_ij * sum_j t'_ij - t'_ij) * scale}, i.e.
 * {@code (softmax - target) / N} for one-hot targets and the mean ({@code scale} is {@code 1/N} or 1).
 *
 * <p>When a gradient will be needed the forward pass writes that gradient as it goes, reusing the exponentials it
 * computes for the log-sum-exp anyway; the backward pass then only scales it by the incoming gradient (nothing at all
 * for the usual {@code loss.backward()}), so each logit costs one {@code exp} per step instead of two. Under
 * {@code GradMode.noGrad()} nothing is kept. Dense targets get a gradient too when they require one
 * ({@code (1 - eps)(lse_i - x_ij) * scale}, as in torch; e.g. distillation from a teacher's probabilities).
 */
final class SoftmaxCrossEntropy extends Function {

    /** Elements per thread below which the row loop stays on the calling thread. */
    private static final int GRAIN_ELEMENTS = 1 << 15;

    private final int n;
    private final int c;
    private final float keep;
    private final double scale;
    /** dL/dx for an incoming gradient of 1, [N, C]; handed out (scaled in place) by the one backward call. */
    private float[] gradient;
    /** Saved only when the dense targets need a gradient. */
    private float[] x;
    private final int xo;
    private double[] lse;

    private SoftmaxCrossEntropy(int n, int c, float keep, double scale, float[] gradient, float[] x, int xo,
                                double[] lse) {
        this.n = n;
        this.c = c;
        this.keep = keep;
        this.scale = scale;
        this.gradient = gradient;
        this.x = x;
        this.xo = xo;
        this.lse = lse;
    }

    /** Loss of logits {@code [N, C]} against dense targets {@code [N, C]} (one-hot or probabilities). */
    static Tensor dense(Tensor logits, Tensor targets, float eps, Reduction reduction) {
        return run(logits, targets, null, eps, reduction);
    }

    /** Loss of logits {@code [N, C]} against class indices (already validated to lie in {@code [0, C)}). */
    static Tensor sparse(Tensor logits, int[] labels, float eps, Reduction reduction) {
        return run(logits, null, labels, eps, reduction);
    }

    private static Tensor run(Tensor logits, Tensor targets, int[] labels, float eps, Reduction reduction) {
        int n = logits.shape(0);
        int c = logits.shape(1);
        Tensor xc = logits.materialize(false);
        float[] x = xc.data();
        int xo = xc.offset();
        Tensor tc = targets == null ? null : targets.materialize(false);
        float[] t = tc == null ? null : tc.data();
        int to = tc == null ? 0 : tc.offset();
        boolean gradX = needsGrad(logits);
        boolean gradT = targets != null && needsGrad(targets);
        double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
        float[] grad = gradX ? StepArena.floats(n * c) : null;
        double[] lse = gradT ? new double[n] : null;
        double[] rowLoss = new double[n];
        double keep = 1.0 - eps;
        double spread = (double) eps / c;
        Parallel.forRange(n, Math.max(1, GRAIN_ELEMENTS / Math.max(1, c)), (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = xo + i * c;
                int o = i * c;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, x[row + j]);
                double sumExp = 0;
                double sumShifted = 0;
                for (int j = 0; j < c; j++) {
                    float shifted = x[row + j] - max;
                    float ex = (float) Math.exp(shifted);
                    if (grad != null) grad[o + j] = ex;
                    sumExp += ex;
                    sumShifted += shifted;
                }
                double logSum = Math.log(sumExp);
                if (lse != null) lse[i] = max + logSum;
                // each term is lse - x = logSum - (x - max): small numbers even for huge logits
                double uniform = c * logSum - sumShifted;
                double loss;
                if (labels != null) {
                    loss = keep * (logSum - (x[row + labels[i]] - max)) + spread * uniform;
                    if (grad != null) {
                        // targets sum to 1: softmax - t'
                        float inv = (float) (scale / sumExp);
                        float off = (float) (scale * spread);
                        for (int j = 0; j < c; j++) grad[o + j] = grad[o + j] * inv - off;
                        grad[o + labels[i]] -= (float) (scale * keep);
                    }
                } else {
                    int trow = to + i * c;
                    double weighted = 0;
                    double targetSum = 0;
                    for (int j = 0; j < c; j++) {
                        float tj = t[trow + j];
                        weighted += tj * (logSum - (x[row + j] - max));
                        targetSum += tj;
                    }
                    loss = keep * weighted + spread * uniform;
                    if (grad != null) {
                        // softmax * sum(t') - t', sum(t') = (1 - eps) sum(t) + eps
                        float pScale = (float) (scale * (keep * targetSum + eps) / sumExp);
                        float tScale = (float) (scale * keep);
                        float off = (float) (scale * spread);
                        for (int j = 0; j < c; j++) grad[o + j] = grad[o + j] * pScale - (tScale * t[trow + j] + off);
                    }
                }
                rowLoss[i] = loss;
            }
        });
        double total = 0;
        for (int i = 0; i < n; i++) total += rowLoss[i];
        Tensor out = Tensor.scalar((float) (total * scale));
        if (!gradX && !gradT) return out;
        SoftmaxCrossEntropy fn = new SoftmaxCrossEntropy(n, c, (float) keep, scale, grad, gradT ? x : null, xo, lse);
        return targets == null ? fn.record(out, logits) : fn.record(out, logits, targets);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float g = gradOutput.item();
        Tensor dx = null;
        if (gradient != null && needsInputGrad(0)) {
            float[] d = gradient;
            gradient = null; // handed out: this op never touches it again
            if (g != 1f) {
                Parallel.forRange(d.length, GRAIN_ELEMENTS, (s, e) -> {
                    for (int i = s; i < e; i++) d[i] *= g;
                });
            }
            dx = Tensor.wrap(d, n, c);
        }
        if (lse == null) return new Tensor[]{dx, null};
        float[] dt = new float[n * c];
        double k = g * scale * keep;
        Parallel.forRange(n, Math.max(1, GRAIN_ELEMENTS / Math.max(1, c)), (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = xo + i * c;
                for (int j = 0; j < c; j++) dt[i * c + j] = (float) (k * (lse[i] - x[row + j]));
            }
        });
        return new Tensor[]{dx, Tensor.wrap(dt, n, c)};
    }

    @Override
    protected void releaseSaved() {
        gradient = null;
        x = null;
        lse = null;
    }
}
