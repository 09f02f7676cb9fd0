package dev.nabla.bench;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Graph;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Node;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;

import java.util.List;

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
        return List.of(NetworkRun.train(this, threads, net,
                new NetworkRun.Settings("lstm", EPOCHS, BATCH_SIZE, 1000, p -> new Adam(p, 1e-3f)),
                trainX, train.labels(), sequences(test.images()), test.labels()));
    }
}
