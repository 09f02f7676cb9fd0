package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/** How per-sample losses become one number: their mean (the default) or their sum. */
public enum Reduction {
    MEAN, SUM;

    /** Reduces a tensor of per-element losses. */
    public Tensor apply(Tensor perElement) {
        return this == MEAN ? perElement.mean() : perElement.sum();
    }
}
