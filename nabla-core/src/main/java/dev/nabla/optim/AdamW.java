package dev.nabla.optim;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), exactly as {@code torch.optim.AdamW} (1.13): the
 * parameter first shrinks by {@code p *= 1 - lr * weightDecay}, then takes the plain Adam step on the raw gradient,
 * so the decay does not pass through the adaptive denominator.
 *
 * <p>State per parameter as {@link Adam}'s.
 */
public final class AdamW extends AdamCore {

    /**
     * {@code torch.optim.AdamW}'s settings and defaults (betas as two numbers).
     *
     * @param learningRate the step size
     * @param beta1        decay of the first-moment average, in [0, 1)
     * @param beta2        decay of the second-moment average, in [0, 1)
     * @param eps          added to the denominator
     * @param weightDecay  decoupled decay: the parameter shrinks by lr * weightDecay
     * @param amsgrad      whether to use the maximum of the second moments (AMSGrad)
     */
    public record Config(@Default("0.001") float learningRate, @Default("0.9") double beta1, @Default("0.999") double beta2,
                         @Default("1e-8") double eps, @Default("0.01") double weightDecay, @Default("false") boolean amsgrad) {
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public AdamW(List<Tensor> parameters, Config c) {
        this(parameters, c.learningRate(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad());
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Tensor> parameters) {
        this(parameters, 1e-3f);
    }

    /** PyTorch's defaults with the given learning rate. */
    public AdamW(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.01);
    }

    /** PyTorch's defaults with the given learning rate and weight decay. */
    public AdamW(List<Tensor> parameters, float learningRate, double weightDecay) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, false);
    }

    /** Every option, in {@code torch.optim.AdamW}'s order (betas as two numbers). */
    public AdamW(List<Tensor> parameters, float learningRate, double beta1, double beta2, double eps,
                 double weightDecay, boolean amsgrad) {
        super("adamw", parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, true);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public Config config() {
        return new Config(learningRate(), beta1(), beta2(), eps(), weightDecay(), amsgrad());
    }
}
