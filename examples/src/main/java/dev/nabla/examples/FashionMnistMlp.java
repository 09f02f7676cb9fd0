package dev.nabla.examples;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.nio.file.Path;
import java.util.Map;

/**
 * A 784-256-128-10 multilayer perceptron on Fashion-MNIST: SGD with momentum, 10 epochs, about 87% test accuracy;
 * saves the model as {@code fashion-mlp.nabla}.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.FashionMnistMlp [--quick] [folder with the IDX .gz files]}
 * (default {@code ../shared/data/fashion-mnist}); {@code --quick} trains on 5,000 images for 2 epochs.
 */
public final class FashionMnistMlp {

    private FashionMnistMlp() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Trains, prints and returns the test metrics ({@code loss}, {@code accuracy}). */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        FashionMnist data = FashionMnist.load(options.path(0, FashionMnist.DEFAULT_DIR),
                options.pick(60_000, 5_000), options.pick(10_000, 2_000));
        Tensor trainX = data.trainX().reshape(-1, 784);
        Tensor testX = data.testX().reshape(-1, 784);

        Sequential network = new Sequential(
                new Dense(256, Activation.RELU),
                new Dense(128, Activation.RELU),
                new Dense(10)).seed(1);
        Model model = new Model(network);
        model.compile(params -> new Sgd(params, 0.05f, 0.9), new SparseCategoricalCrossEntropy(), new Accuracy());
        System.out.println(network.build(784).summary());

        model.fit(trainX, data.trainY(), new FitOptions().epochs(options.pick(10, 2)).batchSize(128).seed(1)
                .callbacks(new ProgressReporter(System.out, System.console() != null)));
        Map<String, Double> test = model.evaluate(testX, data.testY());
        System.out.println("test: " + test);
        Path file = options.output("fashion-mlp.nabla");
        model.save(file);
        System.out.println("saved " + file);
        return test;
    }
}
