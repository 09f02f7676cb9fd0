package dev.nabla.examples;

import dev.nabla.data.IdxReader;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.nio.file.Path;

/**
 * A small convolutional network on Fashion-MNIST: two 3x3 convolutions with max pooling, then two dense layers;
 * Adam, 3 epochs, about 88% test accuracy.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.FashionMnistCnn [folder with the IDX .gz files]}.
 */
public final class FashionMnistCnn {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/fashion-mnist");
        Tensor trainX = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        Tensor trainY = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
        Tensor testX = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Tensor testY = IdxReader.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        Sequential network = new Sequential(
                new Conv2D(32, 3, Activation.RELU), new MaxPool2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPool2D(2),
                new Flatten(),
                new Dense(128, Activation.RELU),
                new Dense(10)).seed(1);
        System.out.println(network.build(1, 28, 28).summary());
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(trainX, trainY, new FitOptions().epochs(3).batchSize(128).seed(1)
                .callbacks(new ProgressReporter(System.out, System.console() != null)));
        System.out.println("test: " + model.evaluate(testX, testY));
    }
}
