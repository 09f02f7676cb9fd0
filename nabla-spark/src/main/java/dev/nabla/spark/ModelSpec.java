package dev.nabla.spark;

import dev.nabla.train.Model;

import java.io.Serializable;

/**
 * How each Spark task builds its replica: a compiled {@link Model} (network, optimizer, loss, metrics). Spark ships
 * it to the executors with the task, so it must be serializable (a lambda cast to this interface is); every task
 * calls it once, and all replicas then start from rank 0's weights.
 *
 * <pre>{@code
 * ModelSpec spec = () -> new Model(new Sequential(new Dense(64, Activation.RELU), new Dense(3)).seed(1))
 *         .compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
 * }</pre>
 */
@FunctionalInterface
public interface ModelSpec extends Serializable {

    /** A new compiled model. */
    Model create();
}
