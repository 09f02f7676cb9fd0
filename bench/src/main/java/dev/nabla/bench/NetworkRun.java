package dev.nabla.bench;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Module;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workloads that train a built network (resnet, lstm, vit) share: the start file for PyTorch's side, the
 * timed {@code fit} on Fashion-MNIST with sparse cross-entropy, the test accuracy and the result line.
 */
final class NetworkRun {

    private NetworkRun() {
    }

    /** One training run's settings. */
    record Settings(String workload, int epochs, int batchSize, int evalBatchSize, OptimizerFactory optimizer) {
    }

    /**
     * Trains the built {@code network} as {@code settings} say and returns the result line; writes the start file
     * first when {@code -Dnabla.bench.start=FILE} asks for it.
     */
    static String train(Workload workload, int threads, Module network, Settings settings,
                        Tensor trainX, Tensor trainY, Tensor testX, Tensor testY) throws IOException {
        int n = trainX.shape(0);
        String startFile = System.getProperty("nabla.bench.start", "");
        if (!startFile.isBlank()) writeStart(Path.of(startFile), network, n, settings);

        Model model = new Model(network);
        model.compile(settings.optimizer(), new SparseCategoricalCrossEntropy(), new Accuracy());
        TrainingWorkload.EpochTimer timer = new TrainingWorkload.EpochTimer(workload.name(), settings.epochs());
        model.fit(trainX, trainY, new FitOptions().epochs(settings.epochs()).batchSize(settings.batchSize())
                .seed(TrainingWorkload.SEED).callbacks(timer));
        Map<String, Double> evaluated = model.evaluate(testX, testY, settings.evalBatchSize());

        double median = Timing.median(timer.seconds());
        List<Double> epochS = new ArrayList<>();
        for (double s : timer.seconds()) epochS.add(Timing.round(s, 3));
        ResultLine result = workload.result(threads)
                .put("batch_size", settings.batchSize()).put("epochs", settings.epochs())
                .put("epoch_s", epochS)
                .put("epoch_cpu_s", timer.cpuSeconds())
                .put("median_epoch_s", Timing.round(median, 3))
                .put("samples_per_s", Timing.round(n / median, 1))
                .put("test_accuracy", Timing.round(evaluated.get(Accuracy.NAME), 4))
                .put("final_train_loss", Timing.round(timer.lastLoss(), 4));
        Peak.addTo(result, FlopCount.trainingFlops(network, Arrays.copyOfRange(trainX.shape(), 1, trainX.rank())),
                n / median, threads);
        return PeakRss.addTo(result).toString();
    }

    /**
     * The start for PyTorch's side: every parameter under its path in the network, in Nabla's layouts (dense weights
     * {@code [in, out]}), and the epochs' shuffle orders ({@code order}, {@code [epochs, n]}). Buffers (batchnorm's
     * running averages) start alike on both sides and are not written.
     */
    private static void writeStart(Path file, Module network, int n, Settings settings) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : network.namedParameters().entrySet()) tensors.put(e.getKey(), e.getValue().detach());
        int epochs = settings.epochs();
        float[] order = new float[epochs * n];
        for (int e = 0; e < epochs; e++) {
            int[] epochOrder = Model.shuffleOrder(n, TrainingWorkload.SEED, e + 1);
            for (int i = 0; i < n; i++) order[e * n + i] = epochOrder[i];
        }
        tensors.put("order", Tensor.wrap(order, epochs, n));
        Map<String, String> metadata = Map.of("workload", settings.workload(), "seed", Long.toString(TrainingWorkload.SEED),
                "batch_size", Integer.toString(settings.batchSize()));
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, dev.nabla.io.SafeTensors.write(tensors, metadata));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
