package dev.nabla.optim;

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
}
