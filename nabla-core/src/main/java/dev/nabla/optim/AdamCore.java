package dev.nabla.optim;

import dev.nabla.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Adam update shared by {@link Adam} (weight decay added to the gradient) and {@link AdamW} (weight decay
 * applied to the parameter, decoupled from the moments). Follows torch 1.13's single-tensor implementation.
 */
abstract sealed class AdamCore extends Optimizer permits Adam, AdamW {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final boolean decoupled;

    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] maxExpAvgSq;
    private final float[][] stepCounts;
    private final Map<String, float[]> state;

    AdamCore(String owner, List<Tensor> parameters, float learningRate, double beta1, double beta2, double eps,
             double weightDecay, boolean amsgrad, boolean decoupled) {
        super(parameters, learningRate);
        OptimizerSupport.requireContiguous(owner, this.parameters);
        this.beta1 = OptimizerSupport.unitInterval(owner, "beta1", beta1);
        this.beta2 = OptimizerSupport.unitInterval(owner, "beta2", beta2);
        this.eps = OptimizerSupport.nonNegative(owner, "eps", eps);
        this.weightDecay = OptimizerSupport.nonNegative(owner, "weight decay", weightDecay);
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;

        int n = this.parameters.size();
        stepCounts = OptimizerSupport.stepCounters(n);
        expAvg = OptimizerSupport.perParameter(this.parameters, 0f);
        expAvgSq = OptimizerSupport.perParameter(this.parameters, 0f);
        maxExpAvgSq = amsgrad ? OptimizerSupport.perParameter(this.parameters, 0f) : null;
        Map<String, float[]> s = new LinkedHashMap<>();
        OptimizerSupport.register(s, "step", stepCounts);
        OptimizerSupport.register(s, "exp_avg", expAvg);
        OptimizerSupport.register(s, "exp_avg_sq", expAvgSq);
        if (amsgrad) OptimizerSupport.register(s, "max_exp_avg_sq", maxExpAvgSq);
        state = Collections.unmodifiableMap(s);
    }

    @Override
    protected final void update(int index, float[] param, float[] grad, int size) {
        double lr = learningRate();
        double step = stepCounts[index][0] += 1f;
        // Bias corrections in double, like PyTorch's Python-side scalars; rounded to float where they meet a tensor.
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        final float negStepSize = (float) -(lr / biasCorrection1);
        final float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        final float b1 = (float) beta1;
        final float c1 = (float) (1 - beta1);
        final float b2 = (float) beta2;
        final float c2 = (float) (1 - beta2);
        final float e = (float) eps;
        final float wd = (float) weightDecay;
        final boolean coupledDecay = !decoupled && weightDecay != 0;
        // AdamW shrinks the parameter before the moment update: p *= 1 - lr * weightDecay.
        final float shrink = (float) (1 - lr * weightDecay);
        final boolean decoupledDecay = decoupled && weightDecay != 0;
        final float[] m = expAvg[index];
        final float[] v = expAvgSq[index];
        final float[] vMax = amsgrad ? maxExpAvgSq[index] : null;
        for (int i = 0; i < size; i++) {
            float p = param[i];
            float g = grad[i];
            if (coupledDecay) g = g + wd * p;
            if (decoupledDecay) p = p * shrink;
            float mi = m[i] * b1 + c1 * g;
            float vi = v[i] * b2 + c2 * g * g;
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) {
                vi = Math.max(vMax[i], vi);
                vMax[i] = vi;
            }
            // eps is added after the bias correction of the second moment, as in PyTorch (not sqrt(v_hat + eps)).
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
            param[i] = p + negStepSize * mi / denom;
        }
    }

    final double beta1() {
        return beta1;
    }

    final double beta2() {
        return beta2;
    }

    final double eps() {
        return eps;
    }

    final double weightDecay() {
        return weightDecay;
    }

    final boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public final Map<String, float[]> state() {
        return state;
    }
}
