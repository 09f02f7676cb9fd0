package dev.nabla.examples;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.Add;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Graph;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Node;
import dev.nabla.nn.Padding;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A small residual network (ResNet) on Fashion-MNIST, written with the graph API ({@link Graph}, {@link Node},
 * {@code layer.on(node)}): a conv-batchnorm-ReLU stem, residual blocks whose input is added back to their output
 * ({@link Add}), max pooling, a wider stage, global average pooling and a dense classifier. The convolutions keep the
 * image size ({@link Padding#SAME}) and have no bias, as the batch norm after each shifts anyway. After training (Adam,
 * 2 epochs) it prints the test accuracy, saves the model, loads it back and checks that the loaded model predicts
 * exactly the same.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.ResidualCnn [--quick] [folder with the IDX .gz files]}
 * (default {@code ../shared/data/fashion-mnist}); {@code --quick} trains on 2,000 images for one epoch.
 */
public final class ResidualCnn {

    private ResidualCnn() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** The network: 1x28x28 images in, 10 logits out. */
    public static Graph network() {
        Node image = Graph.input("image", 1, 28, 28);
        Node x = convBnRelu(image, 16, "stem");
        x = residualBlock(x, 16, "block1");
        x = new MaxPool2D(2).named("pool").on(x);
        x = convBnRelu(x, 32, "widen");
        x = residualBlock(x, 32, "block2");
        Node features = new GlobalAveragePool().named("gap").on(x);
        Node logits = new Dense(10).named("logits").on(features);
        Graph network = Graph.of(image, logits);
        network.seed(1);
        return network;
    }

    /** A 3x3 convolution that keeps height and width, without bias (the following batch norm has a shift). */
    static Conv2D conv3x3(int filters, String name) {
        Conv2D.Config config = new Conv2D.Config(filters, new int[]{3}, Activation.LINEAR, Padding.SAME,
                new int[]{1}, new int[]{1}, 1, false);
        return new Conv2D(config).named(name);
    }

    static Node convBnRelu(Node x, int filters, String name) {
        Node conv = conv3x3(filters, name + "_conv").on(x);
        Node bn = new BatchNorm().named(name + "_bn").on(conv);
        return new ActivationLayer(Activation.RELU).named(name + "_relu").on(bn);
    }

    /** relu(bn(conv(relu(bn(conv(x))))) + x): the block learns a correction to its input. */
    static Node residualBlock(Node x, int filters, String name) {
        Node h = convBnRelu(x, filters, name + "_a");
        h = new BatchNorm().named(name + "_b_bn").on(conv3x3(filters, name + "_b_conv").on(h));
        Node sum = new Add().named(name + "_add").on(h, x);
        return new ActivationLayer(Activation.RELU).named(name + "_relu").on(sum);
    }

    /** Trains, checks the saved model, prints and returns the test metrics ({@code loss}, {@code accuracy}). */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        FashionMnist data = FashionMnist.load(options.path(0, FashionMnist.DEFAULT_DIR),
                options.pick(60_000, 2_000), options.pick(10_000, 500));

        Graph network = network();
        System.out.println(network.build().summary());
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(data.trainX(), data.trainY(), new FitOptions().epochs(options.pick(2, 1)).batchSize(options.pick(128, 32)).seed(1)
                .callbacks(new ProgressReporter(System.out, System.console() != null)));
        Map<String, Double> test = model.evaluate(data.testX(), data.testY());
        System.out.printf("test accuracy: %.4f%n", test.get(Accuracy.NAME));

        Path file = options.output("resnet.nabla");
        model.save(file);
        Model loaded = Model.load(file);
        Tensor sample = data.testX().slice(0, options.pick(1_000, 200));
        float[] before = model.predict(sample).toArray();
        float[] after = loaded.predict(sample).toArray();
        if (!Arrays.equals(before, after)) {
            throw new IllegalStateException("the model loaded from " + file + " predicts differently from the trained one");
        }
        System.out.println("saved " + file + "; the loaded model predicts the same for " + sample.shape(0) + " test images");
        return test;
    }
}
