package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Standardises its input, {@code (x - mean) / std} per feature of one per-sample axis (the last by default), with
 * fixed statistics saved in the model as buffers ({@code mean}, {@code std}): Keras' preprocessing layer
 * {@code Normalization}. Put first in a network, it makes the model take raw features, so
 * {@code Model.load(file).predict(raw)} needs no separate scaling.
 *
 * <pre>{@code
 * new Sequential(new Normalization(mean, std), new Dense(64, Activation.RELU), new Dense(1));
 * }</pre>
 *
 * The arithmetic is done in double precision and rounded once, as {@link dev.nabla.data.Standardizer} does.
 */
public final class Normalization extends Layer {

    /** @param axis the per-sample axis whose features have their own statistics (negative: from the end) */
    public record Config(@Default("-1") int axis) {
    }

    private final Config config;
    private final float[] initialMean;
    private final float[] initialStd;
    private Tensor mean;
    private Tensor std;
    private int axis;
    private int features;

    /** Statistics 0 and 1 until they are loaded with the model's weights. */
    public Normalization(Config config) {
        this.config = config;
        this.initialMean = null;
        this.initialStd = null;
    }

    /** Standardises the last axis with these per-feature means and deviations (every deviation positive). */
    public Normalization(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalization: needs as many means as deviations, got " + mean.length + " and " + std.length);
        }
        for (float s : std) if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("normalization: deviations must be positive, got " + s);
        this.config = new Config(-1);
        this.initialMean = mean.clone();
        this.initialStd = std.clone();
    }

    @Override
    public Config config() {
        return config;
    }

    private int axisOf(int[] in) {
        int a = config.axis < 0 ? config.axis + in.length : config.axis;
        if (a < 0 || a >= in.length) throw new ShapeException(describe() + ": axis " + config.axis + " does not exist in samples of shape " + Shape.str(in));
        return a;
    }

    @Override
    public int[] outputShape(int[] in) {
        int a = axisOf(in);
        if (initialMean != null && in[a] != initialMean.length) {
            throw new ShapeException(describe() + ": has statistics for " + initialMean.length + " features, got samples of shape " + Shape.str(in));
        }
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        axis = axisOf(in);
        features = in[axis];
        mean = registerBuffer("mean", initialMean != null ? Tensor.of(initialMean.clone(), features) : Tensor.zeros(features));
        std = registerBuffer("std", initialStd != null ? Tensor.of(initialStd.clone(), features) : Tensor.ones(features));
    }

    /** A loaded deviation must be positive and finite: dividing by 0 or NaN would make every output infinite or NaN. */
    @Override
    protected String loadedBufferProblem() {
        if (std == null) return null;
        float[] s = std.contiguous().toArray();
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || !Float.isFinite(s[i])) {
                return "buffer 'std' holds " + s[i] + " at element " + i + "; a standard deviation must be positive";
            }
        }
        return null;
    }

    /** Keeps every step in its place (it works per element or along the last axis), so a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.requiresGrad()) {
            // a gradient to the input is rare (inputs are data), so the simple composed ops serve it
            int[] shape = new int[x.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[axis + 1] = features;
            return x.sub(mean.detach().reshape(shape)).div(std.detach().reshape(shape));
        }
        float[] v = x.toArray();
        float[] m = mean.toArray();
        float[] s = std.toArray();
        int inner = 1;
        for (int d = axis + 2; d < x.rank(); d++) inner *= x.shape(d);
        for (int i = 0; i < v.length; i++) {
            int j = (i / inner) % features;
            v[i] = (float) ((v[i] - (double) m[j]) / s[j]);
        }
        return Tensor.of(v, x.shape());
    }
}
