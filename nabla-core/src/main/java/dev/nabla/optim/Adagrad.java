package dev.nabla.optim;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, exactly as {@code torch.optim.Adagrad} (1.13, dense gradients):
 *
 * <pre>
 * clr = lr / (1 + (t - 1) * lrDecay)
 * g = grad + weightDecay * p
 * sum = sum + g²                     (starts at initialAccumulatorValue)
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * State per parameter: {@code "<i>.step"} and {@code "<i>.sum"}.
 */
public final class Adagrad extends Optimizer {

    /**
     * {@code torch.optim.Adagrad}'s settings and defaults.
     *
     * @param learningRate            the step size
     * @param lrDecay                 the rate is {@code lr / (1 + (t - 1) * lrDecay)} at step {@code t}
     * @param weightDecay             L2 penalty added to the gradient
     * @param initialAccumulatorValue where the sums of squared gradients start
     * @param eps                     added to the denominator
     */
    public record Config(@Default("0.01") float learningRate, @Default("0") double lrDecay, @Default("0") double weightDecay,
                         @Default("0") double initialAccumulatorValue, @Default("1e-10") double eps) {
    }

    private final double lrDecay;
    private final double weightDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    private final float[][] stepCounts;
    private final float[][] sums;
    private final Map<String, float[]> state;

    /** PyTorch's defaults: lr 0.01, no lr decay, no weight decay, accumulators start at 0, eps 1e-10. */
    public Adagrad(List<Tensor> parameters) {
        this(parameters, 0.01f);
    }

    /** PyTorch's defaults with the given learning rate. */
    public Adagrad(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0, 0, 0, 1e-10);
    }

    /** Every option, in {@code torch.optim.Adagrad}'s order. */
    public Adagrad(List<Tensor> parameters, float learningRate, double lrDecay, double weightDecay,
                   double initialAccumulatorValue, double eps) {
        super(parameters, learningRate);
        String owner = "adagrad";
        OptimizerSupport.requireContiguous(owner, this.parameters);
        this.lrDecay = OptimizerSupport.nonNegative(owner, "lr decay", lrDecay);
        this.weightDecay = OptimizerSupport.nonNegative(owner, "weight decay", weightDecay);
        this.initialAccumulatorValue = OptimizerSupport.nonNegative(owner, "initial accumulator value",
                initialAccumulatorValue);
        this.eps = OptimizerSupport.nonNegative(owner, "eps", eps);

        stepCounts = OptimizerSupport.stepCounters(this.parameters.size());
        sums = OptimizerSupport.perParameter(this.parameters, (float) initialAccumulatorValue);
        Map<String, float[]> s = new LinkedHashMap<>();
        OptimizerSupport.register(s, "step", stepCounts);
        OptimizerSupport.register(s, "sum", sums);
        state = Collections.unmodifiableMap(s);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Adagrad(List<Tensor> parameters, Config c) {
        this(parameters, c.learningRate(), c.lrDecay(), c.weightDecay(), c.initialAccumulatorValue(), c.eps());
    }

    @Override
    protected void update(int index, float[] param, float[] grad, int size) {
        double step = stepCounts[index][0] += 1f;
        // The decayed rate is computed in double (a Python float in PyTorch) and rounded once.
        final float negClr = (float) -(learningRate() / (1 + (step - 1) * lrDecay));
        final float e = (float) eps;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float[] sum = sums[index];
        for (int i = 0; i < size; i++) {
            float p = param[i];
            float g = grad[i];
            if (decay) g = g + wd * p;
            float s = sum[i] + g * g;
            sum[i] = s;
            float std = (float) Math.sqrt(s) + e;
            param[i] = p + negClr * g / std;
        }
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Config config() {
        return new Config(learningRate(), lrDecay, weightDecay, initialAccumulatorValue, eps);
    }

    @Override
    public Map<String, float[]> state() {
        return state;
    }
}
