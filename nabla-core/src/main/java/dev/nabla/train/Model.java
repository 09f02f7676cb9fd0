package dev.nabla.train;

import dev.nabla.autograd.GradMode;
import dev.nabla.dataset.Batch;
import dev.nabla.dataset.DataLoader;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.Shuffle;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.loss.Loss;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.InferenceMode;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradientClipping;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with what it needs to learn: an optimizer, a loss and metrics (Keras' model API).
 *
 * <pre>{@code
 * Model model = new Model(new Sequential(new Dense(128, Activation.RELU), new Dense(10)).seed(1));
 * model.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
 * History history = model.fit(xTrain, yTrain, new FitOptions().epochs(5).batchSize(128).validationSplit(0.1));
 * Map<String, Double> test = model.evaluate(xTest, yTest);
 * Tensor probabilities = model.predict(xTest);
 * }</pre>
 *
 * <p>A {@link dev.nabla.nn.Graph} with several inputs takes them by name: {@code fit(Map.of("image", x, "meta", m), y,
 * options)}, {@code predict(Map.of(...))}. What turns raw data into what the network saw is part of the model, so
 * {@code Model.load(file).predict(raw)} needs no extra steps: input scaling as layers at the network's front
 * ({@link dev.nabla.nn.Normalization}, {@link dev.nabla.nn.Rescaling}), a regression target's standardisation as
 * {@link #targetScaling} (the loss sees standardised targets; predictions and metrics are in the target's units), and
 * class names ({@link #classNames}).
 */
public final class Model {

    private final Module network;
    private OptimizerFactory optimizerFactory;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private final History history = new History();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private int epochsDone;
    private TargetScaling targetScaling;
    private List<String> classNames = List.of();
    private dev.nabla.text.Tokenizer tokenizer;

    /**
     * A regression target's standardisation, {@code (y - mean) / std}: the network learns standardised targets, while
     * {@code fit}, {@code evaluate} and {@code predict} take and give values in the target's own units.
     */
    public record TargetScaling(double mean, double std) {
        public TargetScaling {
            if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("target scaling needs a finite mean and a positive std, got " + mean + ", " + std);
            }
        }

        // in double precision, rounded once, as data.Standardizer scales targets: a model fitted on raw targets
        // learns from the very floats a model fitted on pre-standardised ones did; targets and outputs here carry no
        // gradient (outputs are detached for metrics), so no autograd op is needed
        Tensor standardise(Tensor y) {
            float[] v = y.contiguous().toArray();
            for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - mean) / std);
            return Tensor.wrap(v, y.shape());
        }

        Tensor original(Tensor standardised) {
            float[] v = standardised.contiguous().toArray();
            for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * std + mean);
            return Tensor.wrap(v, standardised.shape());
        }
    }

    public Model(Module network) {
        this.network = network;
    }

    /** Chooses how the model learns. The optimizer is created once the network's weights exist. Returns this model. */
    public Model compile(OptimizerFactory optimizer, Loss loss, Metric... metrics) {
        this.optimizerFactory = optimizer;
        this.optimizer = null;
        this.loss = loss;
        this.metrics = List.of(metrics);
        return this;
    }

    public Module network() {
        return network;
    }

    /** The optimizer, or null before the first {@code fit} (or load). */
    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** Logs of every epoch trained so far, across fit calls and saved with the model. */
    public History history() {
        return history;
    }

    /** Epochs trained so far (a resumed model continues counting). */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * Free-form, JSON-friendly facts saved with the model: class names, feature scaling, the task. Strings, numbers,
     * booleans, lists and maps of those.
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Sets (or, with null, removes) the target standardisation; see {@link TargetScaling}. Returns this model. */
    public Model targetScaling(TargetScaling scaling) {
        this.targetScaling = scaling;
        return this;
    }

    /** The target standardisation, or null. */
    public TargetScaling targetScaling() {
        return targetScaling;
    }

    /** Names of the classes in output order (saved with the model). Returns this model. */
    public Model classNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    /** Class names in output order; empty when not set. */
    public List<String> classNames() {
        return classNames;
    }

    /** Sets (null: removes) the tokenizer of a text model's input ids, saved with it (see {@code text.TextModels}). */
    public Model tokenizer(dev.nabla.text.Tokenizer t) {
        this.tokenizer = t;
        return this;
    }

    /** The tokenizer of a text model, or null. */
    public dev.nabla.text.Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Puts back a saved optimizer (with its state) and epoch count; used when loading a model file. */
    public void restoreTrainingState(Optimizer restoredOptimizer, int epochs) {
        this.optimizer = restoredOptimizer;
        this.epochsDone = epochs;
    }

    /** Saves everything needed to predict and to resume training in one file (see {@code ModelFile}). */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        dev.nabla.io.ModelFile.save(this, file);
    }

    /** Loads a model saved by {@link #save}. */
    public static Model load(java.nio.file.Path file) throws java.io.IOException {
        return dev.nabla.io.ModelFile.load(file);
    }

    /**
     * Trains for {@code options.epochs()} more epochs: forward, loss, backward and optimizer step for every batch,
     * then validation and callbacks at the end of each epoch.
     */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(Inputs.of(x), y, options);
    }

    /** {@link #fit(Tensor, Tensor, FitOptions)} for a network of several named inputs (a graph). */
    public History fit(Map<String, Tensor> x, Tensor y, FitOptions options) {
        return fit(Inputs.of(network, x), y, options);
    }

    /**
     * Trains on a random-access data set (images decoded as they are needed, tensors, a shard of either): each epoch
     * visits it in the seeded permutation of {@link #shuffleOrder}, in batches built on {@link FitOptions#workers}
     * threads, at most {@link FitOptions#prefetch} ahead. Sample weights come from the data set; a
     * {@link FitOptions#validationSplit} holds out its last examples.
     */
    public History fit(Dataset data, FitOptions options) {
        requireCompiled("fit");
        return FitLoop.run(this, FitData.of(data, options, network), options);
    }

    /**
     * Trains on a stream (a CSV file read row by row, ...): each epoch is one pass, shuffled through a buffer of
     * {@link FitOptions#shuffleBuffer} records, decoded on {@link FitOptions#workers} threads. Validation data must be
     * given ({@link FitOptions#validationData(StreamDataset)}), a stream has no split.
     */
    public History fit(StreamDataset data, FitOptions options) {
        requireCompiled("fit");
        return FitLoop.run(this, FitData.of(data, options, network), options);
    }

    private History fit(Inputs x, Tensor y, FitOptions options) {
        requireCompiled("fit");
        Inputs.checkSameLength("fit", x, y);
        SampleWeights.check(options, x.samples());
        return FitLoop.run(this, FitData.of(x, y, options, network), options);
    }

    /** Marks {@code epoch} done with its logs (from {@link FitLoop}). */
    void epochDone(int epoch, Map<String, Double> logs) {
        epochsDone = epoch;
        history.add(logs);
    }

    /**
     * One step: forward, (weighted) loss, backward, gradients averaged over the ranks, (clipping,) optimizer update.
     * Returns the batch loss. {@code xy} is null for a rank of data-parallel training whose shard has no batch left
     * while others still train: it joins the all-reduce with no gradient; when no rank had a batch the step is not
     * taken ({@link GradientSync#epochEnded}).
     */
    double trainStep(Batch xy, FitOptions options, int epoch, int batch, GradientSync sync, TrainingContext context) {
        // the ranks draw different dropout masks: their samples differ too
        network.seedTrainingStep(options.seed * 0x2545F4914F6CDD1DL + optimizer.steps() + sync.rank() * 0x632BE59BD9B4E019L);
        optimizer.zeroGrad();
        double value = 0;
        // the step's activations and gradients come from (and go back to) the last step's arrays; nothing made
        // in the scope is kept past it: gradients are copied into the parameters' own, metrics copy what they keep
        if (xy != null) {
            try (var step = StepArena.open()) {
                Tensor y = xy.targets();
                Tensor output = new Inputs(xy.inputs()).forward(network);
                Tensor batchLoss = SampleWeights.loss(loss, output, lossTargets(y), xy.weights());
                value = batchLoss.item();
                if (!Double.isFinite(value) && !options.continueOnNonFiniteLoss) {
                    throw new NonFiniteLossException(epoch, batch, value);
                }
                batchLoss.backward();
                Tensor seen = metricOutputs(output.detach());
                for (Metric m : metrics) m.update(seen, y);
            }
        }
        if (!sync.averageGradients(xy, context)) return 0;
        if (options.clipValue > 0) GradientClipping.clipByValue(optimizer.parameters(), options.clipValue);
        if (options.clipNorm > 0) GradientClipping.clipByNorm(optimizer.parameters(), options.clipNorm);
        optimizer.step();
        return value;
    }

    /** What the loss compares the network's output with: standardised targets where the model scales them. */
    private Tensor lossTargets(Tensor y) {
        return targetScaling == null ? y : targetScaling.standardise(y);
    }

    /** What the metrics see: the output, in the target's units where the model scales targets. */
    private Tensor metricOutputs(Tensor output) {
        return targetScaling == null ? output : targetScaling.original(output);
    }

    /** The loss and every metric over the given samples, in inference mode. */
    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 256);
    }

    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(Inputs.of(x), y, batchSize);
    }

    /** {@link #evaluate(Tensor, Tensor)} for a network of several named inputs (a graph). */
    public Map<String, Double> evaluate(Map<String, Tensor> x, Tensor y) {
        return evaluate(Inputs.of(network, x), y, 256);
    }

    private Map<String, Double> evaluate(Inputs x, Tensor y, int batchSize) {
        if (loss == null) throw new IllegalStateException("evaluate: compile the model first (it needs a loss)");
        Inputs.checkSameLength("evaluate", x, y);
        // rows in memory are views: no thread to build them
        try (DataLoader loader = DataLoader.of(new TensorDataset(x.tensors(), y, null), DataLoader.Options.of(batchSize).shuffle(false).workers(0))) {
            return evaluate(loader);
        }
    }

    /** The loss and every metric over a data set, read in order, in inference mode. */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        try (DataLoader loader = DataLoader.of(data, DataLoader.Options.of(batchSize).shuffle(false))) {
            return evaluate(loader);
        }
    }

    /** The loss and every metric over one pass of a stream, in inference mode. */
    public Map<String, Double> evaluate(StreamDataset data, int batchSize) {
        try (DataLoader loader = DataLoader.of(data, DataLoader.Options.of(batchSize).shuffle(false))) {
            return evaluate(loader);
        }
    }

    /** One ordered pass of the loader's batches: the loss and every metric. */
    Map<String, Double> evaluate(DataLoader loader) {
        if (loss == null) throw new IllegalStateException("evaluate: compile the model first (it needs a loss)");
        try (var inference = InferenceMode.enter(); var noGrad = GradMode.noGrad();
             DataLoader.Batches batches = loader.epoch(1)) {
            for (Metric m : metrics) m.reset();
            long n = 0;
            double lossSum = 0;
            for (Batch b = batches.next(); b != null; b = batches.next()) {
                Tensor out = new Inputs(b.inputs()).forward(network);
                lossSum += loss.compute(out, lossTargets(b.targets())).item() * b.samples();
                n += b.samples();
                Tensor seen = metricOutputs(out);
                for (Metric m : metrics) m.update(seen, b.targets());
            }
            Map<String, Double> results = new LinkedHashMap<>();
            results.put("loss", n == 0 ? Double.NaN : lossSum / n);
            for (Metric m : metrics) results.put(m.name(), m.result());
            return results;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Predictions in inference mode: class probabilities for classifiers trained on logits, values otherwise. */
    public Tensor predict(Tensor x) {
        return predict(x, 256);
    }

    public Tensor predict(Tensor x, int batchSize) {
        return predict(Inputs.of(x), batchSize);
    }

    /** {@link #predict(Tensor)} for a network of several named inputs (a graph). */
    public Tensor predict(Map<String, Tensor> x) {
        return predict(Inputs.of(network, x), 256);
    }

    private Tensor predict(Inputs x, int batchSize) {
        try (var inference = InferenceMode.enter(); var noGrad = GradMode.noGrad()) {
            int n = x.samples();
            List<Tensor> parts = new ArrayList<>();
            for (int s = 0; s < n; s += batchSize) {
                Tensor out = x.slice(s, Math.min(n, s + batchSize)).forward(network);
                Tensor prediction = loss == null ? out : loss.toPrediction(out);
                parts.add(targetScaling == null ? prediction : targetScaling.original(prediction));
            }
            if (parts.isEmpty()) throw new IllegalArgumentException("predict: no samples");
            return parts.size() == 1 ? parts.get(0) : Tensor.concat(0, parts.toArray(new Tensor[0]));
        }
    }

    /** The most likely class of each sample (argmax of the output; for one output column, probability >= 0.5). */
    public int[] predictClasses(Tensor x) {
        return ClassPredictions.of(predict(x));
    }

    /** Creates the optimizer (once): lazily built layers get their weights from a forward pass of one sample. */
    void ensureOptimizer(DataLoader data) {
        if (optimizer != null) return;
        try (var inference = InferenceMode.enter(); var noGrad = GradMode.noGrad()) {
            new Inputs(data.first().inputs()).forward(network);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        optimizer = optimizerFactory.create(network.parameters());
    }

    private void requireCompiled(String what) {
        if (loss == null || optimizerFactory == null && optimizer == null) {
            throw new IllegalStateException(what + ": compile the model first (optimizer and loss)");
        }
    }

    /**
     * The order in which {@link #fit} visits {@code n} samples in {@code epoch} (counted from 1 over the model's life)
     * when shuffling with {@code seed}: a permutation of {@code [0, n)} that depends only on these, so a resumed run
     * reshuffles alike and another program can replay the same batches.
     */
    public static int[] shuffleOrder(int n, long seed, int epoch) {
        return Shuffle.permutation(n, seed, epoch);
    }
}
