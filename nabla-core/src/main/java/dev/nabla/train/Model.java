package dev.nabla.train;

import dev.nabla.autograd.GradMode;
import dev.nabla.loss.Loss;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.InferenceMode;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradientClipping;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    private History fit(Inputs x, Tensor y, FitOptions options) {
        requireCompiled("fit");
        Inputs.checkSameLength("fit", x, y);
        SampleWeights.check(options, x.samples());
        Inputs trainX = x;
        Tensor trainY = y;
        Inputs valX = options.validationX != null ? Inputs.of(options.validationX)
                : options.validationInputs != null ? Inputs.of(network, options.validationInputs) : null;
        Tensor valY = options.validationY;
        if (valX == null && options.validationSplit > 0) {
            int n = x.samples();
            int held = (int) Math.round(n * options.validationSplit);
            if (held < 1 || held >= n) {
                throw new IllegalArgumentException("validation split " + options.validationSplit + " of " + n
                        + " samples leaves no samples for " + (held < 1 ? "validation" : "training"));
            }
            trainX = x.slice(0, n - held);
            trainY = y.slice(0, n - held);
            valX = x.slice(n - held, n);
            valY = y.slice(n - held, n);
        }
        if (valX != null) Inputs.checkSameLength("fit (validation data)", valX, valY);
        ensureOptimizer(trainX);
        GradientSync sync = GradientSync.start(options.collective, network, optimizer.parameters());
        int n = trainX.samples();
        // with several ranks, a global batch: each rank trains on its share (see GradientSync)
        int batchSize = (int) Math.min((long) options.batchSize * sync.worldSize(), Math.max(1, n));
        int batches = (n + batchSize - 1) / batchSize;
        int firstEpoch = epochsDone + 1;
        int lastEpoch = epochsDone + options.epochs;
        TrainingContext context = new TrainingContext(this, lastEpoch, n, sync.rank(), sync.worldSize() > 1);
        for (Callback c : options.callbacks) c.onTrainBegin(context);
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nabla-batch-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int epoch = firstEpoch; epoch <= lastEpoch && !context.stopRequested(); epoch++) {
                for (Callback c : options.callbacks) c.onEpochBegin(epoch, context);
                network.train(true);
                for (Metric m : metrics) m.reset();
                int[] order = options.shuffle ? shuffleOrder(n, options.seed, epoch) : null;
                double lossSum = 0;
                final Inputs fx = trainX;
                final Tensor fy = trainY;
                final int ep = epoch;
                CompletableFuture<Batch> next = CompletableFuture.supplyAsync(
                        () -> sync.batch(fx, fy, order, 0, batchSize, options, ep), loader);
                for (int b = 0; b < batches && !context.stoppedAfterBatch(); b++) {
                    Batch xy = next.join();
                    if (b + 1 < batches) {
                        int start = (b + 1) * batchSize;
                        next = CompletableFuture.supplyAsync(() -> sync.batch(fx, fy, order, start, batchSize, options, ep), loader);
                    }
                    double batchLoss = trainStep(xy.x(), xy.y(), xy.weights(), options, epoch, b + 1, sync, context);
                    lossSum += batchLoss * xy.x().samples();
                    for (Callback c : options.callbacks) c.onBatchEnd(epoch, b + 1, batches, batchLoss, context);
                }
                if (context.stoppedAfterBatch()) break;   // a cut-short epoch is not an epoch done
                Map<String, Double> logs = sync.epochLogs(lossSum, n, batchSize, metrics);
                if (valX != null) {
                    for (var e : evaluate(valX, valY, Math.max(batchSize, 256)).entrySet()) logs.put("val_" + e.getKey(), e.getValue());
                }
                logs.put("lr", (double) optimizer.learningRate());
                epochsDone = epoch;
                history.add(logs);
                for (Callback c : options.callbacks) c.onEpochEnd(epoch, logs, context);
            }
        } finally {
            loader.shutdownNow();
            network.train(false);
        }
        for (Callback c : options.callbacks) c.onTrainEnd(context);
        return history;
    }

    /**
     * One step: forward, (weighted) loss, backward, gradients averaged over the ranks, (clipping,) optimizer update.
     * Returns the batch loss (0 for a rank whose share of the batch is empty).
     */
    private double trainStep(Inputs x, Tensor y, Tensor weights, FitOptions options, int epoch, int batch, GradientSync sync,
                             TrainingContext context) {
        network.seedTrainingStep(options.seed * 0x2545F4914F6CDD1DL + optimizer.steps() + sync.rank() * 0x632BE59BD9B4E019L);
        optimizer.zeroGrad();
        Tensor output = x.samples() == 0 ? null : x.forward(network);
        double value = 0;
        if (output != null) {
            Tensor batchLoss = SampleWeights.loss(loss, output, lossTargets(y), weights);
            value = batchLoss.item();
            if (!Double.isFinite(value) && !options.continueOnNonFiniteLoss) throw new NonFiniteLossException(epoch, batch, value);
            batchLoss.backward();
            Tensor seen = metricOutputs(output.detach());
            for (Metric m : metrics) m.update(seen, y);
        }
        sync.averageGradients(x.samples(), weights, context);
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
        try (var inference = InferenceMode.enter(); var noGrad = GradMode.noGrad()) {
            for (Metric m : metrics) m.reset();
            int n = x.samples();
            double lossSum = 0;
            for (int s = 0; s < n; s += batchSize) {
                int e = Math.min(n, s + batchSize);
                Inputs xb = x.slice(s, e);
                Tensor yb = y.slice(s, e);
                Tensor out = xb.forward(network);
                lossSum += loss.compute(out, lossTargets(yb)).item() * (e - s);
                Tensor seen = metricOutputs(out);
                for (Metric m : metrics) m.update(seen, yb);
            }
            Map<String, Double> results = new LinkedHashMap<>();
            results.put("loss", n == 0 ? Double.NaN : lossSum / n);
            for (Metric m : metrics) results.put(m.name(), m.result());
            return results;
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

    private void ensureOptimizer(Inputs x) {
        if (optimizer != null) return;
        // lazily built layers create their weights on the first forward pass; run one sample to get them
        try (var inference = InferenceMode.enter(); var noGrad = GradMode.noGrad()) {
            x.slice(0, Math.min(1, x.samples())).forward(network);
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
        return Batch.shuffleOrder(n, seed, epoch);
    }
}
