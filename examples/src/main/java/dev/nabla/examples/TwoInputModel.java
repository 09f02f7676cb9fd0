package dev.nabla.examples;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Concat;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Node;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A graph with two named inputs: a table of customer features and a table of product features, each through its own
 * dense layer, joined by {@link Concat}, then classified. The generated classes need both tables: the class is
 * {@code 2 * (customer bit) + (product bit)}, where each bit is the sign of a hidden mix of that table's features.
 * The inputs go in by name, {@code model.fit(Map.of("customer", xc, "product", xp), y, ...)}, and the same for
 * validation, evaluation and prediction. It prints the test accuracy with both inputs (about 99%) and with either
 * input zeroed (about 50%: one bit of two is lost), then saves and reloads the two-input model.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.TwoInputModel [--quick]} ({@code --quick}: 5 epochs instead of 30).
 */
public final class TwoInputModel {

    private static final int FEATURES = 6;

    private TwoInputModel() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** The network: inputs "customer" and "product" of {@value #FEATURES} features each, 4 class logits out. */
    public static Graph network() {
        Node customer = Graph.input("customer", FEATURES);
        Node product = Graph.input("product", FEATURES);
        Node c = new Dense(16, Activation.RELU).named("customer_features").on(customer);
        Node p = new Dense(16, Activation.RELU).named("product_features").on(product);
        Node joined = new Concat().named("joined").on(c, p);
        Node hidden = new Dense(32, Activation.RELU).named("hidden").on(joined);
        Node logits = new Dense(4).named("logits").on(hidden);
        Graph network = new Graph(List.of(customer, product), List.of(logits));
        network.seed(7);
        return network;
    }

    /** Trains and returns the test accuracy with both inputs ({@code accuracy}) and with one zeroed. */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        SplittableRandom rng = new SplittableRandom(11);
        float[] customerMix = gaussian(rng, FEATURES);
        float[] productMix = gaussian(rng, FEATURES);
        Samples train = samples(rng, 4000, customerMix, productMix);
        Samples validation = samples(rng, 500, customerMix, productMix);
        Samples test = samples(rng, 1000, customerMix, productMix);

        Graph network = network();
        System.out.println(network.build().summary());
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 3e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        model.fit(train.inputs(), train.y(), new FitOptions().epochs(options.pick(30, 5)).batchSize(64).seed(7)
                .validationData(validation.inputs(), validation.y()));

        Map<String, Double> results = new LinkedHashMap<>();
        results.put("accuracy", model.evaluate(test.inputs(), test.y()).get(Accuracy.NAME));
        Tensor zeros = Tensor.zeros(test.customer().shape());
        results.put("accuracy_without_customer", model.evaluate(Map.of("customer", zeros, "product", test.product()), test.y()).get(Accuracy.NAME));
        results.put("accuracy_without_product", model.evaluate(Map.of("customer", test.customer(), "product", zeros), test.y()).get(Accuracy.NAME));
        System.out.printf("test accuracy: both inputs %.3f, customer zeroed %.3f, product zeroed %.3f (chance 0.25)%n",
                results.get("accuracy"), results.get("accuracy_without_customer"), results.get("accuracy_without_product"));

        Path file = options.output("two-inputs.nabla");
        model.save(file);
        float[] before = model.predict(test.inputs()).toArray();
        float[] after = Model.load(file).predict(test.inputs()).toArray();
        if (!Arrays.equals(before, after)) throw new IllegalStateException("the model loaded from " + file + " predicts differently");
        System.out.println("saved " + file + "; the loaded model predicts the same");
        return results;
    }

    /** Both inputs of a set of samples, and their classes. */
    record Samples(Tensor customer, Tensor product, Tensor y) {
        Map<String, Tensor> inputs() {
            return Map.of("customer", customer, "product", product);
        }
    }

    private static Samples samples(SplittableRandom rng, int n, float[] customerMix, float[] productMix) {
        float[] c = gaussian(rng, n * FEATURES);
        float[] p = gaussian(rng, n * FEATURES);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int customerBit = dot(c, i, customerMix) > 0 ? 1 : 0;
            int productBit = dot(p, i, productMix) > 0 ? 1 : 0;
            y[i] = 2 * customerBit + productBit;
        }
        return new Samples(Tensor.of(c, n, FEATURES), Tensor.of(p, n, FEATURES), Tensor.of(y, n));
    }

    private static double dot(float[] rows, int row, float[] mix) {
        double s = 0;
        for (int j = 0; j < FEATURES; j++) s += rows[row * FEATURES + j] * mix[j];
        return s;
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }
}
