package dev.nabla.optim;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba), optionally AMSGrad, exactly as {@code torch.optim.Adam} (1.13). Weight decay is classic L2:
 * {@code weightDecay * p} is added to the gradient before the moments see it (use {@link AdamW} for decoupled decay).
 *
 * <pre>
 * g = grad + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g²;   (amsgrad: vMax = max(vMax, v), used for v)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * State per parameter: {@code "<i>.step"}, {@code "<i>.exp_avg"}, {@code "<i>.exp_avg_sq"} and, with AMSGrad,
 * {@code "<i>.max_exp_avg_sq"}.
 */
public final class Adam extends AdamCore {

    /**
     * {@code torch.optim.Adam}'s settings and defaults (betas as two numbers).
     *
     * @param learningRate the step size
     * @param beta1        decay of the first-moment average, in [0, 1)
     * @param beta2        decay of the second-moment average, in [0, 1)
     * @param eps          added to the denominator
     * @param weightDecay  L2 penalty added to the gradient
     * @param amsgrad      whether to use the maximum of the second moments (AMSGrad)
     */
    public record Config(@Default("0.001") float learningRate, @Default("0.9") double beta1, @Default("0.999") double beta2,
                         @Default("1e-8") double eps, @Default("0") double weightDecay, @Default("false") boolean amsgrad) {
    }

    /** With the settings of a configuration record, as the registry creates it. */
    public Adam(List<Tensor> parameters, Config c) {
        this(parameters, c.learningRate(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad());
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Tensor> parameters) {
        this(parameters, 1e-3f);
    }

    /** PyTorch's defaults with the given learning rate. */
    public Adam(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0, false);
    }

    /** Every option, in {@code torch.optim.Adam}'s order (betas as two numbers). */
    public Adam(List<Tensor> parameters, float learningRate, double beta1, double beta2, double eps,
                double weightDecay, boolean amsgrad) {
        super("adam", parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Config config() {
        return new Config(learningRate(), beta1(), beta2(), eps(), weightDecay(), amsgrad());
    }
}
