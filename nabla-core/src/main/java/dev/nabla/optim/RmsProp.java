package dev.nabla.optim;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, optionally centered and with momentum, exactly as {@code torch.optim.RMSprop} (1.13):
 *
 * <pre>
 * g = grad + weightDecay * p
 * sq = alpha * sq + (1 - alpha) * g²
 * avg = centered ? sqrt(sq - gAvg²) + eps  (gAvg = alpha * gAvg + (1 - alpha) * g)  :  sqrt(sq) + eps
 * momentum > 0:  buf = momentum * buf + g / avg;  p = p - lr * buf
 * otherwise:     p = p - lr * g / avg
 * </pre>
 *
 * State per parameter: {@code "<i>.step"}, {@code "<i>.square_avg"}, plus {@code "<i>.momentum_buffer"} with
 * momentum and {@code "<i>.grad_avg"} when centered.
 */
public final class RmsProp extends Optimizer {

    /**
     * {@code torch.optim.RMSprop}'s settings and defaults.
     *
     * @param learningRate the step size
     * @param alpha        smoothing constant of the squared-gradient average
     * @param eps          added to the denominator
     * @param weightDecay  L2 penalty added to the gradient
     * @param momentum     momentum factor (0: none)
     * @param centered     whether to divide by the gradient's estimated variance instead of its second moment
     */
    public record Config(@Default("0.01") float learningRate, @Default("0.99") double alpha, @Default("1e-8") double eps,
                         @Default("0") double weightDecay, @Default("0") double momentum, @Default("false") boolean centered) {
    }

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    private final float[][] stepCounts;
    private final float[][] squareAvg;
    private final float[][] momentumBuffers;
    private final float[][] gradAvg;
    private final Map<String, float[]> state;

    /** PyTorch's defaults: lr 0.01, alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public RmsProp(List<Tensor> parameters) {
        this(parameters, 0.01f);
    }

    /** PyTorch's defaults with the given learning rate. */
    public RmsProp(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.99, 1e-8, 0, 0, false);
    }

    /** Every option, in {@code torch.optim.RMSprop}'s order. */
    public RmsProp(List<Tensor> parameters, float learningRate, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered) {
        super(parameters, learningRate);
        String owner = "rmsprop";
        OptimizerSupport.requireContiguous(owner, this.parameters);
        this.alpha = OptimizerSupport.nonNegative(owner, "alpha", alpha);
        this.eps = OptimizerSupport.nonNegative(owner, "eps", eps);
        this.weightDecay = OptimizerSupport.nonNegative(owner, "weight decay", weightDecay);
        this.momentum = OptimizerSupport.nonNegative(owner, "momentum", momentum);
        this.centered = centered;

        stepCounts = OptimizerSupport.stepCounters(this.parameters.size());
        squareAvg = OptimizerSupport.perParameter(this.parameters, 0f);
        momentumBuffers = momentum > 0 ? OptimizerSupport.perParameter(this.parameters, 0f) : null;
        gradAvg = centered ? OptimizerSupport.perParameter(this.parameters, 0f) : null;
        Map<String, float[]> s = new LinkedHashMap<>();
        OptimizerSupport.register(s, "step", stepCounts);
        OptimizerSupport.register(s, "square_avg", squareAvg);
        if (momentumBuffers != null) OptimizerSupport.register(s, "momentum_buffer", momentumBuffers);
        if (gradAvg != null) OptimizerSupport.register(s, "grad_avg", gradAvg);
        state = Collections.unmodifiableMap(s);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public RmsProp(List<Tensor> parameters, Config c) {
        this(parameters, c.learningRate(), c.alpha(), c.eps(), c.weightDecay(), c.momentum(), c.centered());
    }

    @Override
    protected void update(int index, float[] param, float[] grad, int size) {
        // PyTorch counts RMSprop steps too (the update does not use the count); kept so saved state matches.
        stepCounts[index][0] += 1f;
        final float negLr = -learningRate();
        final float a = (float) alpha;
        final float c = (float) (1 - alpha);
        final float e = (float) eps;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float mom = (float) momentum;
        final float[] sq = squareAvg[index];
        final float[] buf = momentumBuffers == null ? null : momentumBuffers[index];
        final float[] ga = gradAvg == null ? null : gradAvg[index];
        for (int i = 0; i < size; i++) {
            float p = param[i];
            float g = grad[i];
            if (decay) g = g + wd * p;
            float s = sq[i] * a + c * g * g;
            sq[i] = s;
            float avg;
            if (ga != null) {
                float gi = ga[i] * a + c * g;
                ga[i] = gi;
                avg = (float) Math.sqrt(s + -1f * gi * gi);
            } else {
                avg = (float) Math.sqrt(s);
            }
            avg = avg + e;
            if (buf != null) {
                float b = buf[i] * mom + g / avg;
                buf[i] = b;
                param[i] = p + negLr * b;
            } else {
                param[i] = p + negLr * g / avg;
            }
        }
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public Config config() {
        return new Config(learningRate(), alpha, eps, weightDecay, momentum, centered);
    }

    @Override
    public Map<String, float[]> state() {
        return state;
    }
}
