package dev.nabla.train;

import dev.nabla.optim.Optimizer;

/** What a callback can see and steer during {@link Model#fit}. */
public final class TrainingContext {

    private final Model model;
    private final int epochs;
    private final int trainSamples;
    private final int rank;
    private final boolean shared;
    private boolean stopRequested;
    private boolean stopAfterBatch;
    private boolean stopAsked;

    /** @param shared whether other ranks train with this one: a stop after a batch is then agreed with them first */
    TrainingContext(Model model, int epochs, int trainSamples, int rank, boolean shared) {
        this.model = model;
        this.epochs = epochs;
        this.trainSamples = trainSamples;
        this.rank = rank;
        this.shared = shared;
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return model.optimizer();
    }

    /** The last epoch this fit will run (counting from 1). */
    public int epochs() {
        return epochs;
    }

    /** Samples in the training split (not the validation split). */
    public int trainSamples() {
        return trainSamples;
    }

    /**
     * This process's rank in data-parallel training ({@link FitOptions#collective}), 0 when training alone: callbacks
     * that print or write files act on rank 0 only, the others on every rank alike.
     */
    public int rank() {
        return rank;
    }

    /** Ends training after the current epoch. */
    public void stopTraining() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Ends training after the current batch (e.g. on Ctrl-C): the epoch in progress is cut short and not logged, and
     * {@link Callback#onTrainEnd} still runs (early stopping puts back its best weights).
     */
    public void stopAfterBatch() {
        stopAsked = true;
        // with other ranks every rank must stop after the same batch: the request goes with the next step's
        // all-reduce, and all stop after that step (GradientSync)
        if (!shared) agreeToStopAfterBatch();
    }

    /** Whether this rank asked to stop after a batch (the agreement of all ranks may still be pending). */
    boolean stopAsked() {
        return stopAsked;
    }

    /** Every rank stops after the current batch. */
    void agreeToStopAfterBatch() {
        stopAfterBatch = true;
        stopRequested = true;
    }

    /** Whether {@link #stopAfterBatch} was called: the last epoch was cut short. */
    public boolean stoppedAfterBatch() {
        return stopAfterBatch;
    }
}
