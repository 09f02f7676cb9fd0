package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;


/**
 * Batch normalisation over the features of {@code [features]} samples or the channels of {@code [C, H, W]} samples.
 * Training normalises with the batch's statistics and updates running averages (PyTorch's momentum 0.1, unbiased
 * running variance); inference normalises with the running averages.
 */
public final class BatchNorm extends Layer {

    /** PyTorch's momentum (weight of the new batch in the running averages) and epsilon. */
    public record Config(@dev.nabla.config.Default("0.1") float momentum, @dev.nabla.config.Default("1e-5") float epsilon) {
        public Config {
            if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
            if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
        }
    }

    private final float momentum;
    private final float epsilon;
    private Tensor gamma;
    private Tensor beta;
    private Tensor runningMean;
    private Tensor runningVar;

    public BatchNorm() {
        this(0.1f, 1e-5f);
    }

    public BatchNorm(float momentum, float epsilon) {
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    public BatchNorm(Config config) {
        this(config.momentum(), config.epsilon());
    }

    @Override
    public Config config() {
        return new Config(momentum, epsilon);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1 || in.length > 3) {
            throw new ShapeException(describe() + ": needs [features], [channels, length] or [channels, height, width] samples, got "
                    + Shape.str(in));
        }
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        int c = in[0];
        gamma = registerParameter("gamma", Tensor.ones(c));
        beta = registerParameter("beta", Tensor.zeros(c));
        runningMean = registerBuffer("running_mean", Tensor.zeros(c));
        runningVar = registerBuffer("running_var", Tensor.ones(c));
    }

    /** A negative loaded variance would make inference take the square root of a negative number: NaN outputs. */
    @Override
    protected String loadedBufferProblem() {
        if (runningVar == null) return null;
        float[] v = runningVar.contiguous().toArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0)) return "buffer 'running_var' holds " + v[i] + " at element " + i + "; a variance cannot be negative";
        }
        return null;
    }

    @Override
    protected Tensor call(Tensor x) {
        // one op forward and backward (statistics in double), running averages updated in place in training
        return x.batchNorm(gamma, beta, runningMean, runningVar, momentum, epsilon, isTraining());
    }

    /** {@code relu(call(x))} as one op, for {@link BatchNormReluFusion}; the floats are those of the two in a row. */
    Tensor callThenRelu(Tensor x) {
        checkInputs(java.util.List.of(x.shape()));
        return dev.nabla.ops.BatchNormOp.apply(x, gamma, beta, runningMean, runningVar, momentum, epsilon,
                isTraining(), true);
    }
}
