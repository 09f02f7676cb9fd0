package dev.nabla.dataset;

import java.util.List;

/**
 * One sample as a data set gives it: the values of each input (flattened, in the {@link ExampleSpec}'s shapes), the
 * target's values and the sample's weight (1 where the data set is unweighted).
 */
public record Example(List<float[]> inputs, float[] target, float weight) {

    public Example {
        inputs = List.copyOf(inputs);
    }

    /** An example of one input, weight 1. */
    public Example(float[] input, float[] target) {
        this(List.of(input), target, 1f);
    }
}
