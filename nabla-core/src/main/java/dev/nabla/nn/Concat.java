package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Joins its inputs along one per-sample axis: Keras' {@code Concatenate}. The axis counts per-sample axes; the default 0
 * is the channel axis of {@code [C, H, W]} images (Nabla is channels-first) and the feature axis of vectors; negative
 * axes count from the end.
 */
public final class Concat extends Layer {

    public record Config(@Default("0") int axis) {
    }

    private final Config config;

    public Concat() {
        this(new Config(0));
    }

    public Concat(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        throw new ShapeException(describe() + ": needs at least two inputs, got one");
    }

    private int axis(int rank) {
        int a = config.axis < 0 ? config.axis + rank : config.axis;
        if (a < 0 || a >= rank) throw new ShapeException(describe() + ": axis " + config.axis + " does not exist in samples of rank " + rank);
        return a;
    }

    @Override
    public int[] outputShape(List<int[]> in) {
        if (in.size() < 2) throw new ShapeException(describe() + ": needs at least two inputs, got " + in.size());
        int[] first = in.get(0);
        int a = axis(first.length);
        int[] out = first.clone();
        for (int i = 1; i < in.size(); i++) {
            int[] s = in.get(i);
            boolean fits = s.length == first.length;
            for (int d = 0; fits && d < s.length; d++) fits = d == a || s[d] == first[d];
            if (!fits) {
                throw new ShapeException(describe() + ": inputs must agree on every axis but " + config.axis + ", got "
                        + Shape.str(first) + " and " + Shape.str(s));
            }
            out[a] += s[a];
        }
        return out;
    }

    /** Joined along time (per-sample axis 0 of sequences), masks are joined too; along features, combined. */
    @Override
    protected Tensor outputMask(List<Tensor> inputs, List<Tensor> inputMasks) {
        if (axis(inputs.get(0).rank() - 1) != 0) return Masks.and(inputMasks);
        int[] steps = new int[inputs.size()];
        for (int i = 0; i < steps.length; i++) steps[i] = inputs.get(i).shape(1);
        return Masks.concat(inputMasks, inputs.get(0).shape(0), steps);
    }

    @Override
    protected Tensor call(Tensor x) {
        throw new ShapeException(describe() + ": needs at least two inputs, got one");
    }

    @Override
    protected Tensor call(List<Tensor> inputs) {
        return Tensor.concat(axis(inputs.get(0).rank() - 1) + 1, inputs.toArray(new Tensor[0]));
    }
}
