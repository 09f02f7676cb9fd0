package dev.nabla.optim;

import dev.nabla.tensor.Tensor;

import java.util.List;

/** Creates an optimizer once the model's parameters exist (they are built lazily), e.g. {@code p -> new Adam(p, 1e-3f)}. */
@FunctionalInterface
public interface OptimizerFactory {
    Optimizer create(List<Tensor> parameters);
}
