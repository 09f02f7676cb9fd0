package dev.nabla.nn;

import dev.nabla.ops.LayerNormOp;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;


/** Normalises each sample over its last axis, then scales and shifts by learned {@code gamma} and {@code beta}. */
public final class LayerNorm extends Layer {

    /** @param epsilon added to the variance */
    public record Config(@dev.nabla.config.Default("1e-5") float epsilon) {
    }

    private final float epsilon;
    private Tensor gamma;
    private Tensor beta;

    public LayerNorm() {
        this(1e-5f);
    }

    public LayerNorm(float epsilon) {
        this.epsilon = epsilon;
    }

    public LayerNorm(Config config) {
        this(config.epsilon());
    }

    @Override
    public Config config() {
        return new Config(epsilon);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0) throw new ShapeException("layernorm: needs samples with a feature axis, got " + Shape.str(in));
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        int features = in[in.length - 1];
        gamma = registerParameter("gamma", Tensor.ones(features));
        beta = registerParameter("beta", Tensor.zeros(features));
    }

    /** Keeps every step in its place (it works per element or along the last axis), so a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    protected Tensor call(Tensor x) {
        return LayerNormOp.apply(x, gamma, beta, epsilon);
    }


}
