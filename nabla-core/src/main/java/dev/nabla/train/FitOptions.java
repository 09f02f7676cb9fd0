package dev.nabla.train;

import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings of {@link Model#fit}, Keras' defaults unless set: 10 epochs, batches of 32, shuffled each epoch, no
 * validation.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(5).batchSize(128).validationSplit(0.1).seed(7));
 * }</pre>
 */
public final class FitOptions {

    int epochs = 10;
    int batchSize = 32;
    double validationSplit;
    Tensor validationX;
    Tensor validationY;
    java.util.Map<String, Tensor> validationInputs;
    boolean shuffle = true;
    long seed;
    boolean continueOnNonFiniteLoss;
    double clipNorm;
    double clipValue;
    final List<Callback> callbacks = new ArrayList<>();
    BatchTransform trainTransform;
    Tensor sampleWeights;
    dev.nabla.distributed.Collective collective;
    boolean shardData = true;
    int workers = -1;
    int prefetch;
    int shuffleBuffer;
    int validationBatchSize;
    dev.nabla.dataset.Dataset validationSet;
    dev.nabla.dataset.StreamDataset validationStream;
    dev.nabla.kernel.Precision precision;

    public FitOptions epochs(int epochs) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.batchSize = batchSize;
        return this;
    }

    /** Holds out this fraction of the samples (the last ones, before shuffling, as Keras does) for validation. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation split must be in [0, 1), got " + fraction);
        this.validationSplit = fraction;
        return this;
    }

    /** Validates on these samples after each epoch (instead of a split). */
    public FitOptions validationData(Tensor x, Tensor y) {
        clearValidation();
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    /** Validates on these samples of a network with several named inputs (a graph). */
    public FitOptions validationData(java.util.Map<String, Tensor> x, Tensor y) {
        clearValidation();
        this.validationInputs = java.util.Map.copyOf(x);
        this.validationY = y;
        return this;
    }

    /** Validates on a data set after each epoch, read in order through a loader like the training data's. */
    public FitOptions validationData(dev.nabla.dataset.Dataset data) {
        clearValidation();
        this.validationSet = data;
        return this;
    }

    /** Validates on a stream after each epoch (one pass, in order). */
    public FitOptions validationData(dev.nabla.dataset.StreamDataset data) {
        clearValidation();
        this.validationStream = data;
        return this;
    }

    boolean hasValidationData() {
        return validationX != null || validationInputs != null || validationSet != null || validationStream != null;
    }

    private void clearValidation() {
        validationX = null;
        validationY = null;
        validationInputs = null;
        validationSet = null;
        validationStream = null;
    }

    /**
     * Threads that build batches of a data set (read, decode, augment) while the model trains (PyTorch's
     * {@code num_workers}); 0 builds them on the training thread. Default: the data set's suggestion (all cores for
     * images, 1 for tensors in memory).
     */
    public FitOptions workers(int workers) {
        if (workers < 0) throw new IllegalArgumentException("workers must be at least 0, got " + workers);
        this.workers = workers;
        return this;
    }

    /**
     * Batches built ahead of the training step (bounded: memory holds at most this many more than the batch in use).
     * Default: {@value dev.nabla.dataset.DataLoader#DEFAULT_PREFETCH} per worker.
     */
    public FitOptions prefetch(int batches) {
        if (batches < 1) throw new IllegalArgumentException("prefetch must be at least 1 batch, got " + batches);
        this.prefetch = batches;
        return this;
    }

    /**
     * Samples per batch when validating (default: the batch size, at least 256: validation keeps no gradients); give
     * the training batch size for data decoded as it is read, whose batches are held whole in memory.
     */
    public FitOptions validationBatchSize(int samples) {
        if (samples < 1) throw new IllegalArgumentException("validation batch size must be at least 1, got " + samples);
        this.validationBatchSize = samples;
        return this;
    }

    /** Records a {@link dev.nabla.dataset.StreamDataset} is shuffled through (default: 64 batches' worth). */
    public FitOptions shuffleBuffer(int records) {
        if (records < 1) throw new IllegalArgumentException("shuffle buffer must hold at least 1 record, got " + records);
        this.shuffleBuffer = records;
        return this;
    }

    /**
     * The loader settings a fit uses for batches of {@code batchSize} of data whose own suggestion of worker threads
     * is {@code suggestedWorkers} (see {@link dev.nabla.dataset.Dataset#suggestedWorkers}).
     */
    public dev.nabla.dataset.DataLoader.Options loaderOptions(int batchSize, int suggestedWorkers) {
        int w = workers >= 0 ? workers : suggestedWorkers;
        int ahead = prefetch > 0 ? prefetch : Math.max(1, w == 1 ? 1 : dev.nabla.dataset.DataLoader.DEFAULT_PREFETCH * w);
        return new dev.nabla.dataset.DataLoader.Options(batchSize, shuffle, seed, w, ahead,
                shuffleBuffer > 0 ? shuffleBuffer : 64 * batchSize, trainTransform);
    }

    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Seeds the per-epoch shuffling and dropout masks: same seed, same thread count, same machine, same losses. */
    public FitOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Keep training when the loss becomes NaN or infinite (by default training stops with an error naming the batch). */
    public FitOptions continueOnNonFiniteLoss(boolean value) {
        this.continueOnNonFiniteLoss = value;
        return this;
    }

    /** Rescales all gradients together so their global L2 norm is at most {@code maxNorm} (0: off). */
    public FitOptions clipNorm(double maxNorm) {
        this.clipNorm = maxNorm;
        return this;
    }

    /** Limits every gradient element to {@code [-value, value]} (0: off). */
    public FitOptions clipValue(double value) {
        this.clipValue = value;
        return this;
    }

    /**
     * Weights of the training samples, one per sample ({@code [N]}, finite and at least 0, not all 0), as Keras'
     * {@code sample_weight}: each batch's loss becomes {@code sum(w * loss) / sum(w)} (see {@link SampleWeights});
     * validation and {@code evaluate} stay unweighted. For class weights give each sample its class's weight
     * ({@link SampleWeights#ofClasses}). Null: unweighted.
     */
    public FitOptions sampleWeights(Tensor weights) {
        this.sampleWeights = weights == null ? null : SampleWeights.checked(weights);
        return this;
    }

    /** Applies a transform (e.g. image augmentation) to every training batch; validation data is left as it is. */
    public FitOptions trainTransform(BatchTransform transform) {
        this.trainTransform = transform;
        return this;
    }

    /**
     * Trains as one rank of a data-parallel group (PyTorch's DistributedDataParallel): every rank calls {@code fit}
     * with the same model, data, seed and options; each trains on its shard of the data
     * ({@link dev.nabla.dataset.DataLoader#shard}) in batches of {@code batchSize}, gradients are averaged over the ranks before each optimizer step, so all
     * ranks keep the same weights, and N ranks with batches of B learn as one process with batches of N*B (see
     * {@code GradientSync}). Callbacks that write (progress, checkpoints, CSV logs) act on rank 0 only
     * ({@link TrainingContext#rank}). The caller opens and closes the collective. Null: train alone.
     */
    public FitOptions collective(dev.nabla.distributed.Collective collective) {
        this.collective = collective;
        return this;
    }

    /**
     * The arithmetic of training and validation: {@link dev.nabla.kernel.Precision#FP32} (the default) or
     * {@link dev.nabla.kernel.Precision#BF16}, mixed precision (bf16 products and convolutions, float32 master weights,
     * gradients, losses and norms), which falls back to float32 with a one-line note where the CPU lacks it. Null
     * (the default): the calling thread's ({@link dev.nabla.kernel.Precision#current()}, FP32 unless a
     * {@link dev.nabla.kernel.Precision#use() scope} is open).
     */
    public FitOptions precision(dev.nabla.kernel.Precision precision) {
        this.precision = precision;
        return this;
    }

    /** The precision asked for, or null for the calling thread's. */
    public dev.nabla.kernel.Precision precision() {
        return precision;
    }

    /**
     * With a {@link #collective}: whether {@code fit} reads only this rank's shard of the data it is given (the
     * default: every rank is given the same data) or all of it, because it is this rank's part already (a Spark
     * partition). Unsharded ranks may hold different numbers of samples; each still takes every step.
     */
    public FitOptions shardData(boolean shard) {
        this.shardData = shard;
        return this;
    }

    public FitOptions callbacks(Callback... callbacks) {
        this.callbacks.addAll(List.of(callbacks));
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }
}
