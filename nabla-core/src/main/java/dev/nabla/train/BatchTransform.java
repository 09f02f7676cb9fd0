package dev.nabla.train;

import dev.nabla.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Changes each training batch's inputs before the model sees them, e.g. random flips and shifts of images
 * (augmentation). Runs on the batch-loading thread; {@code rng} is seeded from the run's seed, epoch and batch.
 */
@FunctionalInterface
public interface BatchTransform {
    Tensor apply(Tensor inputs, RandomGenerator rng);
}
