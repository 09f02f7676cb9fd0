package dev.nabla.loss;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * Elementwise binary cross-entropy of probabilities, exactly as {@code torch.nn.BCELoss} computes it: logs clamped to
 * {@code >= -100} and the gradient {@code (p - y) / max(p (1 - p), 1e-12)}. A fused op rather than a composition of
 * log and clamp because at {@code p = 0} or {@code 1} the composition's backward multiplies a zero gradient by
 * {@code 1/0} and yields NaN (a confidently right prediction would poison the step), and because torch's gradient
 * there is not the derivative of the clamped expression.
 */
final class ProbabilityBce extends Function {

    private static final double LOG_FLOOR = -100;
    private static final double EPSILON = 1e-12;

    private Tensor p;
    private Tensor y;

    private ProbabilityBce(Tensor p, Tensor y) {
        this.p = p;
        this.y = y;
    }

    /** Per-element losses of probabilities {@code predictions} against {@code targets} of the same shape. */
    static Tensor apply(Tensor predictions, Tensor targets) {
        Tensor pc = predictions.materialize(false);
        Tensor yc = targets.materialize(false);
        float[] pd = pc.data();
        float[] yd = yc.data();
        int po = pc.offset();
        int yo = yc.offset();
        float[] out = new float[pc.size()];
        for (int i = 0; i < out.length; i++) {
            float pv = pd[po + i];
            if (!(pv >= 0f && pv <= 1f)) {
                throw new IllegalArgumentException(BinaryCrossEntropy.NAME + ": prediction " + pv + " at element " + i
                        + " is not a probability in [0, 1]; for logits use new BinaryCrossEntropy(true)");
            }
            double yv = yd[yo + i];
            out[i] = (float) -(yv * logP(pv) + (1 - yv) * log1mP(pv));
        }
        Tensor result = Tensor.wrap(out, predictions.shape());
        return needsGrad(predictions, targets)
                ? new ProbabilityBce(pc.detach(), yc.detach()).record(result, predictions, targets) : result;
    }

    private static double logP(double p) {
        return Math.max(Math.log(p), LOG_FLOOR);
    }

    private static double log1mP(double p) {
        return Math.max(Math.log1p(-p), LOG_FLOOR);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gc = gradOutput.materialize(false);
        float[] g = gc.data();
        int go = gc.offset();
        float[] pd = p.data();
        float[] yd = y.data();
        int po = p.offset();
        int yo = y.offset();
        int n = p.size();
        Tensor gradP = null;
        Tensor gradY = null;
        if (needsInputGrad(0)) {
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                double pv = pd[po + i];
                d[i] = (float) (g[go + i] * (pv - yd[yo + i]) / Math.max((1 - pv) * pv, EPSILON));
            }
            gradP = Tensor.wrap(d, p.shape());
        }
        if (needsInputGrad(1)) {
            // d/dy of -(y log p + (1 - y) log(1 - p)), with the clamped logs of the forward pass
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                double pv = pd[po + i];
                d[i] = (float) (g[go + i] * (log1mP(pv) - logP(pv)));
            }
            gradY = Tensor.wrap(d, y.shape());
        }
        return new Tensor[]{gradP, gradY};
    }

    @Override
    protected void releaseSaved() {
        p = null;
        y = null;
    }
}
