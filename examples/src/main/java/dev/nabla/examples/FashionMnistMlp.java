package dev.nabla.examples;

import dev.nabla.data.IdxReader;
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

/**
 * A 784-256-128-10 multilayer perceptron on Fashion-MNIST: SGD with momentum, 10 epochs, about 87% test accuracy.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.FashionMnistMlp [folder with the IDX .gz files]}
 * (default {@code ../shared/data/fashion-mnist}).
 */
public final class FashionMnistMlp {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/fashion-mnist");
        Tensor trainX = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz")).reshape(-1, 784);
        Tensor trainY = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
        Tensor testX = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte.gz")).reshape(-1, 784);
        Tensor testY = IdxReader.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        Sequential network = new Sequential(
                new Dense(256, Activation.RELU),
                new Dense(128, Activation.RELU),
                new Dense(10)).seed(1);
        Model model = new Model(network);
        model.compile(params -> new Sgd(params, 0.05f, 0.9), new SparseCategoricalCrossEntropy(), new Accuracy());
        System.out.println(network.build(784).summary());

        model.fit(trainX, trainY, new FitOptions().epochs(10).batchSize(128).seed(1)
                .callbacks(new ProgressReporter(System.out, System.console() != null)));
        System.out.println("test: " + model.evaluate(testX, testY));
        model.save(Path.of("fashion-mlp.nabla"));
    }
}
