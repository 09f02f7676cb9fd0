package dev.nabla.bench;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Graph;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Node;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lstm} workload: each Fashion-MNIST image as a sequence of its 28 rows of 28 pixels ({@code [N, 28, 28]}),
 * one LSTM of 128 units, its last hidden state, dense 10; Adam lr 1e-3, batch 128, 2 epochs, timed and evaluated as
 * {@link TrainingWorkload} does. The same recipe as {@code torch_bench.py}'s {@code lstm_model}: {@code nn.LSTM(28,
 * 128, batch_first=True)} and {@code nn.Linear(128, 10)} on {@code h_n}. The modules are named {@code lstm} and
 * {@code fc}, so the start file holds {@code lstm.weight_ih_l0} (PyTorch's own name and layout), ... and
 * {@code fc.weight} ({@code [in, out]}).
 */
public final class LstmWorkload implements Workload {

    static final int BATCH_SIZE = 128;
    static final int EPOCHS = 2;
    static final int UNITS = 128;

    @Override
    public String name() {
        return "lstm";
    }

    static Graph network() {
        Node rows = Graph.input("rows", 28, 28);
        Node last = new LSTM(UNITS).named("lstm").on(rows);
        Graph net = Graph.of(rows, new Dense(10).named("fc").on(last));
        net.seed(TrainingWorkload.SEED);
        return net;
    }

    /** Images {@code [N, 1, 28, 28]} as {@code [N, 28, 28]} sequences of rows. */
    static Tensor sequences(Tensor images) {
        return images.reshape(images.shape(0), 28, 28);
    }

    @Override
    public List<String> run(int threads) throws Exception {
        FashionMnist.Split train = FashionMnist.train();
        FashionMnist.Split test = FashionMnist.test();
        Tensor trainX = sequences(train.images());
        Graph net = network().build();
        int n = trainX.shape(0);
        String startFile = System.getProperty("nabla.bench.start", "");
        if (!startFile.isBlank()) writeStart(Path.of(startFile), net, n);

        Model model = new Model(net);
        model.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        TrainingWorkload.EpochTimer timer = new TrainingWorkload.EpochTimer(name(), EPOCHS);
        model.fit(trainX, train.labels(), new FitOptions().epochs(EPOCHS).batchSize(BATCH_SIZE)
                .seed(TrainingWorkload.SEED).callbacks(timer));
        Map<String, Double> evaluated = model.evaluate(sequences(test.images()), test.labels(), 1000);

        double median = Timing.median(timer.seconds());
        List<Double> epochS = new ArrayList<>();
        for (double s : timer.seconds()) epochS.add(Timing.round(s, 3));
        ResultLine result = result(threads)
                .put("batch_size", BATCH_SIZE).put("epochs", EPOCHS)
                .put("epoch_s", epochS)
                .put("median_epoch_s", Timing.round(median, 3))
                .put("samples_per_s", Timing.round(n / median, 1))
                .put("test_accuracy", Timing.round(evaluated.get(Accuracy.NAME), 4))
                .put("final_train_loss", Timing.round(timer.lastLoss(), 4));
        return List.of(PeakRss.addTo(result).toString());
    }

    /** Every parameter under its path in the graph, and the epochs' shuffle orders ({@code order}, {@code [epochs, n]}). */
    private static void writeStart(Path file, Graph net, int n) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : net.namedParameters().entrySet()) tensors.put(e.getKey(), e.getValue().detach());
        float[] order = new float[EPOCHS * n];
        for (int e = 0; e < EPOCHS; e++) {
            int[] epochOrder = Model.shuffleOrder(n, TrainingWorkload.SEED, e + 1);
            for (int i = 0; i < n; i++) order[e * n + i] = epochOrder[i];
        }
        tensors.put("order", Tensor.wrap(order, EPOCHS, n));
        Map<String, String> metadata = Map.of("workload", "lstm", "seed", Long.toString(TrainingWorkload.SEED),
                "batch_size", Integer.toString(BATCH_SIZE));
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, dev.nabla.io.SafeTensors.write(tensors, metadata));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
