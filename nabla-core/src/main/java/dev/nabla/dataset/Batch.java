package dev.nabla.dataset;

import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Examples stacked along a first axis: one tensor per network input (a graph's inputs in their declared order), the
 * targets, and the sample weights (null when the data set has none).
 */
public record Batch(List<Tensor> inputs, Tensor targets, Tensor weights) {

    public Batch {
        if (inputs.isEmpty()) throw new IllegalArgumentException("a batch needs at least one input");
        inputs = List.copyOf(inputs);
    }

    /** A batch of one input. */
    public Batch(Tensor input, Tensor targets, Tensor weights) {
        this(List.of(input), targets, weights);
    }

    /** Samples in this batch. */
    public int samples() {
        return inputs.get(0).shape(0);
    }

    /** The first (for most networks, the only) input. */
    public Tensor input() {
        return inputs.get(0);
    }

    /** This batch with its first input replaced (what augmentation changes). */
    public Batch withInput(Tensor first) {
        List<Tensor> out = new java.util.ArrayList<>(inputs);
        out.set(0, first);
        return new Batch(out, targets, weights);
    }
}
