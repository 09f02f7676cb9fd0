package dev.nabla.spark;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link SparkTrainer#fit} trains.
 *
 * @param epochs        epochs in all, counted over restarts (a stage restarted after epoch 3 of 10 trains 7 more)
 * @param batchSize     samples per step on each task: N tasks train as one process with batches of N times this
 * @param seed          the seed of the shuffles and dropout masks
 * @param shuffle       whether each task shuffles its partition each epoch (off: every task reads its rows in order)
 * @param checkpointDir a folder every executor and the driver can read and write (a shared file system; on one
 *                      machine any local folder): rank 0 saves {@value SparkTrainer#CHECKPOINT} there after every
 *                      epoch, and a restarted stage resumes from it
 * @param timeout       how long a task waits for another (joining the ring, and in every all-reduce)
 */
public record SparkFitOptions(int epochs, int batchSize, long seed, boolean shuffle, String checkpointDir, Duration timeout)
        implements Serializable {

    public SparkFitOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (checkpointDir == null || checkpointDir.isBlank()) throw new IllegalArgumentException("a checkpoint folder is needed");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }

    /** {@code epochs} epochs of batches of {@code batchSize}, seed 0, shuffled, checkpoints in {@code checkpointDir}, 2 minutes' timeout. */
    public static SparkFitOptions of(int epochs, int batchSize, String checkpointDir) {
        return new SparkFitOptions(epochs, batchSize, 0, true, checkpointDir, Duration.ofMinutes(2));
    }

    public SparkFitOptions seed(long value) {
        return new SparkFitOptions(epochs, batchSize, value, shuffle, checkpointDir, timeout);
    }

    public SparkFitOptions shuffle(boolean value) {
        return new SparkFitOptions(epochs, batchSize, seed, value, checkpointDir, timeout);
    }

    public SparkFitOptions timeout(Duration value) {
        return new SparkFitOptions(epochs, batchSize, seed, shuffle, checkpointDir, value);
    }
}
