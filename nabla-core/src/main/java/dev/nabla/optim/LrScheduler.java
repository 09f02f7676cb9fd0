package dev.nabla.optim;

/**
 * Sets an optimizer's learning rate epoch by epoch. A training loop calls {@link #step(double)} once at the end of
 * every epoch, with the metric it monitors (say validation loss), and trains the next epoch with the new rate; it
 * need not know whether the scheduler looks at the metric ({@link ReduceOnPlateau}) or not ({@link EpochScheduler}).
 */
public interface LrScheduler {

    /** Ends the current epoch, which scored {@code metric} (NaN if none), and sets the next epoch's rate. */
    void step(double metric);

    /** Ends the current epoch without a metric; for schedulers that ignore it. */
    default void step() {
        step(Double.NaN);
    }

    /** The number of epochs ended so far; the epoch now being trained, counted from 0. */
    int epoch();
}
