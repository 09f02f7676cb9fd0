package dev.nabla.examples;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.util.Map;

/**
 * A small convolutional network on Fashion-MNIST: two 3x3 convolutions with max pooling, then two dense layers;
 * Adam, 3 epochs, about 88% test accuracy.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.FashionMnistCnn [--quick] [folder with the IDX .gz files]}
 * (default {@code ../shared/data/fashion-mnist}); {@code --quick} trains on 2,000 images for one epoch.
 */
public final class FashionMnistCnn {

    private FashionMnistCnn() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Trains, prints and returns the test metrics ({@code loss}, {@code accuracy}). */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        FashionMnist data = FashionMnist.load(options.path(0, FashionMnist.DEFAULT_DIR),
                options.pick(60_000, 2_000), options.pick(10_000, 1_000));

        Sequential network = new Sequential(
                new Conv2D(32, 3, Activation.RELU), new MaxPool2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPool2D(2),
                new Flatten(),
                new Dense(128, Activation.RELU),
                new Dense(10)).seed(1);
        System.out.println(network.build(1, 28, 28).summary());
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(data.trainX(), data.trainY(), new FitOptions().epochs(options.pick(3, 1)).batchSize(options.pick(128, 32)).seed(1)
                .callbacks(new ProgressReporter(System.out, System.console() != null)));
        Map<String, Double> test = model.evaluate(data.testX(), data.testY());
        System.out.println("test: " + test);
        return test;
    }
}
