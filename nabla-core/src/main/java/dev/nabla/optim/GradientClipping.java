package dev.nabla.optim;

import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Gradient clipping, applied between {@code backward()} and {@link Optimizer#step()}. Parameters without a gradient
 * are skipped. Works on the gradient arrays directly, so nothing is recorded for autograd.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales all gradients together so that their total L2 norm (over every gradient, as if concatenated) is at
     * most {@code maxNorm}, like {@code torch.nn.utils.clip_grad_norm_}: each gradient is multiplied by
     * {@code maxNorm / (norm + 1e-6)} when that is below 1. Returns the total norm before clipping (NaN or
     * infinite if some gradient is; then, as in PyTorch, the scale spreads NaN or zeros into the gradients).
     */
    public static double clipByNorm(List<Tensor> parameters, double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipByNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        // Sum of squares in double: float accumulation over millions of values would lose the small terms.
        double sumSquares = 0;
        for (Tensor p : parameters) {
            Tensor g = contiguousGrad(p);
            if (g == null) continue;
            float[] d = g.data();
            for (int i = g.offset(), end = g.offset() + g.size(); i < end; i++) sumSquares += (double) d[i] * d[i];
        }
        double norm = Math.sqrt(sumSquares);
        double coefficient = maxNorm / (norm + 1e-6);
        // "!(>= 1)" rather than "< 1": a NaN coefficient must propagate into the gradients, as in PyTorch.
        if (!(coefficient >= 1)) {
            float scale = (float) coefficient;
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g == null) continue;
                float[] d = g.data();
                for (int i = g.offset(), end = g.offset() + g.size(); i < end; i++) d[i] *= scale;
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient value into {@code [-clip, clip]}, like {@code torch.nn.utils.clip_grad_value_}. NaN
     * values stay NaN.
     */
    public static void clipByValue(List<Tensor> parameters, double clip) {
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("clipByValue: clip must be >= 0, got " + clip);
        }
        float hi = (float) clip;
        float lo = -hi;
        for (Tensor p : parameters) {
            Tensor g = contiguousGrad(p);
            if (g == null) continue;
            float[] d = g.data();
            for (int i = g.offset(), end = g.offset() + g.size(); i < end; i++) {
                d[i] = Math.max(lo, Math.min(hi, d[i]));   // Math.min/max return NaN for NaN
            }
        }
    }

    /**
     * The gradient of {@code p}, replaced first by a contiguous copy if it is a strided view (possible only through
     * {@link Tensor#setGrad}), so the in-place loops see exactly its elements.
     */
    private static Tensor contiguousGrad(Tensor p) {
        Tensor g = p.grad();
        if (g != null && !g.isContiguous()) {
            g = g.materialize(true);
            p.setGrad(g);
        }
        return g;
    }
}
