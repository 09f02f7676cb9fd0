package dev.nabla.optim;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, exactly as
 * {@code torch.optim.SGD} (1.13):
 *
 * <pre>
 * g = grad + weightDecay * p
 * buf = (first step) ? g : momentum * buf + (1 - dampening) * g
 * g = nesterov ? g + momentum * buf : buf          (when momentum != 0)
 * p = p - lr * g
 * </pre>
 *
 * State: {@code "<i>.momentum_buffer"} and {@code "<i>.step"} per parameter when momentum is used; none otherwise.
 */
public final class Sgd extends Optimizer {

    /**
     * {@code torch.optim.SGD}'s settings and defaults (the learning rate defaults to 0.01).
     *
     * @param learningRate the step size
     * @param momentum     momentum factor (0: none)
     * @param dampening    dampening of the momentum
     * @param weightDecay  L2 penalty added to the gradient
     * @param nesterov     Nesterov momentum (needs momentum > 0 and no dampening)
     */
    public record Config(@Default("0.01") float learningRate, @Default("0") double momentum, @Default("0") double dampening,
                         @Default("0") double weightDecay, @Default("false") boolean nesterov) {
    }

    /**
     * The settings of the {@code momentum} optimizer: SGD with momentum 0.9 by default. An optimizer made from them
     * is an {@link Sgd} and saves as {@code "sgd"}.
     */
    public record MomentumConfig(@Default("0.01") float learningRate, @Default("0.9") double momentum,
                                 @Default("0") double dampening, @Default("0") double weightDecay,
                                 @Default("false") boolean nesterov) {
        /** The same settings as plain SGD's. */
        public Config toConfig() {
            return new Config(learningRate, momentum, dampening, weightDecay, nesterov);
        }
    }

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    private final float[][] momentumBuffers;
    private final float[][] stepCounts;
    private final Map<String, float[]> state;

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0, 0, 0, false);
    }

    /** SGD with classical momentum, no dampening, no weight decay. */
    public Sgd(List<Tensor> parameters, float learningRate, double momentum) {
        this(parameters, learningRate, momentum, 0, 0, false);
    }

    /** Every option, in {@code torch.optim.SGD}'s order. Nesterov needs momentum > 0 and no dampening. */
    public Sgd(List<Tensor> parameters, float learningRate, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(parameters, learningRate);
        String owner = "sgd";
        OptimizerSupport.requireContiguous(owner, this.parameters);
        this.momentum = OptimizerSupport.nonNegative(owner, "momentum", momentum);
        if (!Double.isFinite(dampening)) {
            throw new IllegalArgumentException(owner + ": dampening must be finite, got " + dampening);
        }
        this.dampening = dampening;
        this.weightDecay = OptimizerSupport.nonNegative(owner, "weight decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(owner + ": Nesterov momentum requires a momentum > 0 and zero dampening");
        }
        this.nesterov = nesterov;

        Map<String, float[]> s = new LinkedHashMap<>();
        if (momentum != 0) {
            momentumBuffers = OptimizerSupport.perParameter(this.parameters, 0f);
            stepCounts = OptimizerSupport.stepCounters(this.parameters.size());
            OptimizerSupport.register(s, "momentum_buffer", momentumBuffers);
            OptimizerSupport.register(s, "step", stepCounts);
        } else {
            momentumBuffers = null;
            stepCounts = null;
        }
        state = Collections.unmodifiableMap(s);
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Sgd(List<Tensor> parameters, Config c) {
        this(parameters, c.learningRate(), c.momentum(), c.dampening(), c.weightDecay(), c.nesterov());
    }

    @Override
    protected void update(int index, float[] param, float[] grad, int size) {
        // Scalars are rounded to float once, as PyTorch does when it applies a Python number to a float32 tensor.
        final float lr = learningRate();
        final float negLr = -lr;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        if (momentumBuffers == null) {
            for (int i = 0; i < size; i++) {
                float p = param[i];
                float g = grad[i];
                if (decay) g = g + wd * p;
                param[i] = p + negLr * g;
            }
            return;
        }
        final float m = (float) momentum;
        final float keep = (float) (1 - dampening);
        final float[] buf = momentumBuffers[index];
        // PyTorch creates the buffer as a copy of the first gradient (no dampening on step one); a zero buffer
        // updated as usual would differ whenever dampening != 0.
        final boolean first = stepCounts[index][0] == 0f;
        stepCounts[index][0] += 1f;
        for (int i = 0; i < size; i++) {
            float p = param[i];
            float g = grad[i];
            if (decay) g = g + wd * p;
            float b = first ? g : buf[i] * m + keep * g;
            buf[i] = b;
            float d = nesterov ? g + m * b : b;
            param[i] = p + negLr * d;
        }
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Config config() {
        return new Config(learningRate(), momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public Map<String, float[]> state() {
        return state;
    }
}
