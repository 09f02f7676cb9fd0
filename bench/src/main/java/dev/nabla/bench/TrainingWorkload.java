package dev.nabla.bench;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Callback;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.TrainingContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Fashion-MNIST training workload, the same recipe as {@code torch_bench.py}: data in memory as floats in [0, 1],
 * seeded weights and per-epoch shuffle, {@code Model.fit} over all 60 000 training images; each epoch is timed by a
 * callback from {@code onEpochBegin} to {@code onEpochEnd} (the training loop: shuffle, batches, forward, backward,
 * optimizer step). Afterwards the test accuracy is measured on the 10 000 test images with {@code Model.evaluate}.
 *
 * <ul>
 *   <li>{@code mlp}: 784-256-128-10 with ReLU, SGD lr 0.05 momentum 0.9, batch 128, 10 epochs; the trained model is
 *       saved to {@code bench/target/nabla-mlp.nabla} for {@code mlp-infer}.</li>
 *   <li>{@code mlp-b32}: the same at batch 32, 3 epochs.</li>
 *   <li>{@code cnn}: conv 3x3x32 + ReLU, max-pool 2, conv 3x3x64 + ReLU, max-pool 2, flatten, dense 128 + ReLU,
 *       dense 10; Adam lr 1e-3, batch 128, 3 epochs.</li>
 * </ul>
 */
public final class TrainingWorkload implements Workload {

    /** The seed for weights and shuffling (torch_bench.py's SEED); {@code -Dnabla.bench.seed=N} tries another. */
    static final long SEED = Long.getLong("nabla.bench.seed", 42);
    /** Bump when the mlp recipe changes, so a cached model is not reused by mlp-infer. */
    static final int MODEL_VERSION = 1;
    static final String MODEL_VERSION_KEY = "bench_model_version";

    private final String name;
    private final Supplier<Sequential> network;
    private final OptimizerFactory optimizer;
    private final boolean flatInputs;
    private final int batchSize;
    private final int epochs;
    private final Path saveTo;

    private TrainingWorkload(String name, Supplier<Sequential> network, OptimizerFactory optimizer, boolean flatInputs,
                             int batchSize, int epochs, Path saveTo) {
        this.name = name;
        this.network = network;
        this.optimizer = optimizer;
        this.flatInputs = flatInputs;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.saveTo = saveTo;
    }

    static Sequential mlpNetwork() {
        return new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU), new Dense(10));
    }

    static Sequential cnnNetwork() {
        return new Sequential(
                new Conv2D(32, 3, Activation.RELU), new MaxPool2D(2),   // 26x26 -> 13x13
                new Conv2D(64, 3, Activation.RELU), new MaxPool2D(2),   // 11x11 -> 5x5
                new Flatten(), new Dense(128, Activation.RELU), new Dense(10));
    }

    static OptimizerFactory mlpOptimizer() {
        return p -> new Sgd(p, 0.05f, 0.9);
    }

    /** Where {@code mlp} saves its trained model and {@code mlp-infer} loads it. */
    static Path mlpModelFile() {
        String property = System.getProperty("nabla.bench.model");
        return property != null && !property.isBlank() ? Path.of(property) : Paths.benchTarget().resolve("nabla-mlp.nabla");
    }

    public static TrainingWorkload mlp() {
        return new TrainingWorkload("mlp", TrainingWorkload::mlpNetwork, mlpOptimizer(), true, 128, 10, mlpModelFile());
    }

    public static TrainingWorkload mlpB32() {
        return new TrainingWorkload("mlp-b32", TrainingWorkload::mlpNetwork, mlpOptimizer(), true, 32, 3, null);
    }

    public static TrainingWorkload cnn() {
        return new TrainingWorkload("cnn", TrainingWorkload::cnnNetwork, p -> new Adam(p, 1e-3f), false, 128, 3, null);
    }

    /**
     * Writes where training starts, for PyTorch's side to start there too: the initial parameters in Nabla's layouts
     * ({@code p0, p1, ...} in {@code parameters()} order) and each epoch's shuffle order ({@code order}, [epochs, n],
     * as floats: exact below 2^24). Then the two runs differ only in how each library computes, not in what they
     * drew from their random generators.
     */
    private void writeStart(Path file, Sequential net, int n) throws IOException {
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        List<Tensor> parameters = net.parameters();
        for (int i = 0; i < parameters.size(); i++) tensors.put("p" + i, parameters.get(i).detach());
        float[] order = new float[epochs * n];
        for (int e = 0; e < epochs; e++) {
            int[] epochOrder = Model.shuffleOrder(n, SEED, e + 1);
            for (int i = 0; i < n; i++) order[e * n + i] = epochOrder[i];
        }
        tensors.put("order", Tensor.wrap(order, epochs, n));
        Map<String, String> metadata = Map.of("workload", name, "seed", Long.toString(SEED),
                "batch_size", Integer.toString(batchSize));
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, dev.nabla.io.SafeTensors.write(tensors, metadata));
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> run(int threads) throws Exception {
        FashionMnist.Split train = FashionMnist.train();
        FashionMnist.Split test = FashionMnist.test();
        Tensor trainX = flatInputs ? train.flat() : train.images();
        Tensor testX = flatInputs ? test.flat() : test.images();

        Sequential net = network.get().seed(SEED);
        int[] sampleShape = java.util.Arrays.copyOfRange(trainX.shape(), 1, trainX.rank());
        net.build(sampleShape);
        long flopsPerSample = FlopCount.trainingFlops(net, sampleShape);
        String startFile = System.getProperty("nabla.bench.start", "");
        if (!startFile.isBlank()) writeStart(Path.of(startFile), net, trainX.shape(0));
        Model model = new Model(net);
        model.compile(optimizer, new SparseCategoricalCrossEntropy(), new Accuracy());
        EpochTimer timer = new EpochTimer(name, epochs);
        dev.nabla.kernel.Precision precision = BenchPrecision.effective();
        model.fit(trainX, train.labels(), new FitOptions().epochs(epochs).batchSize(batchSize).seed(SEED)
                .precision(precision).callbacks(timer));

        Map<String, Double> evaluated;
        try (var scope = precision.use()) {
            evaluated = model.evaluate(testX, test.labels(), 1000);
        }
        int n = trainX.shape(0);
        double median = Timing.median(timer.seconds());
        List<Double> epochS = new ArrayList<>();
        for (double s : timer.seconds()) epochS.add(Timing.round(s, 3));
        ResultLine result = result(threads)
                .put("batch_size", batchSize).put("epochs", epochs)
                .put("epoch_s", epochS)
                .put("epoch_cpu_s", timer.cpuSeconds())
                .put("median_epoch_s", Timing.round(median, 3))
                .put("samples_per_s", Timing.round(n / median, 1))
                .put("test_accuracy", Timing.round(evaluated.get(Accuracy.NAME), 4))
                .put("final_train_loss", Timing.round(timer.lastLoss(), 4))
                .put("precision", precision.cliName());
        Peak.addTo(result, flopsPerSample, n / median, threads);
        // mlp-infer times the float32-trained model, in either precision
        if (saveTo != null && precision == dev.nabla.kernel.Precision.FP32) {
            model.metadata().put(MODEL_VERSION_KEY, MODEL_VERSION);
            Files.createDirectories(saveTo.toAbsolutePath().getParent());
            Path partial = saveTo.resolveSibling(saveTo.getFileName() + ".partial");
            model.save(partial);
            Files.move(partial, saveTo, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return List.of(PeakRss.addTo(result).toString());
    }

    /** Times each epoch of {@code fit} and keeps its loss; prints progress on stderr as torch_bench.py does. */
    static final class EpochTimer implements Callback {
        private final String workload;
        private final int epochs;
        private final double[] seconds;
        private final double[] cpuSeconds;
        private long start;
        private long cpuStart;
        private double lastLoss = Double.NaN;

        EpochTimer(String workload, int epochs) {
            this.workload = workload;
            this.epochs = epochs;
            this.seconds = new double[epochs];
            this.cpuSeconds = new double[epochs];
        }

        /** The CPU time of the whole process (every thread: the JIT's and the garbage collector's too), in ns. */
        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        @Override
        public void onEpochBegin(int epoch, TrainingContext context) {
            start = System.nanoTime();
            cpuStart = processCpuNanos();
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
            double s = (System.nanoTime() - start) * 1e-9;
            seconds[epoch - 1] = s;
            cpuSeconds[epoch - 1] = (processCpuNanos() - cpuStart) * 1e-9;
            lastLoss = logs.get("loss");
            System.err.printf(Locale.ROOT, "bench: %s epoch %d/%d: %.2f s (process CPU %.2f s), loss %.4f%n", workload,
                    epoch, epochs, s, cpuSeconds[epoch - 1], lastLoss);
        }

        double[] seconds() {
            return seconds;
        }

        /**
         * Each epoch's CPU time of the whole process: on a busy machine a steadier figure than the wall time, and it
         * counts the first epochs' compilation on the JIT's threads.
         */
        List<Double> cpuSeconds() {
            List<Double> rounded = new ArrayList<>();
            for (double s : cpuSeconds) rounded.add(Timing.round(s, 3));
            return rounded;
        }

        double lastLoss() {
            return lastLoss;
        }
    }

    /** Loads a model saved by {@code mlp}, or null when there is none (or it is from another recipe version). */
    static Model loadMlp(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            Model model = Model.load(file);
            Object version = model.metadata().get(MODEL_VERSION_KEY);
            if (!(version instanceof Number v) || v.intValue() != MODEL_VERSION) return null;
            return model;
        } catch (IOException | RuntimeException damaged) {
            System.err.println("bench: ignoring " + file + ": " + damaged);
            return null;
        }
    }
}
