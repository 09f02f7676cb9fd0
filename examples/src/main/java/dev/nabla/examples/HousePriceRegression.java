package dev.nabla.examples;

import dev.nabla.loss.MeanSquaredError;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.RSquared;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Regression with mean squared error: predicts a price (in thousands) from three raw features of generated houses
 * (size in m², rooms, age in years), with early stopping on the validation loss. The scaling lives in the model: a
 * {@link Normalization} layer standardises the raw features and {@link Model.TargetScaling} the price, so the saved
 * model takes raw features and predicts prices in thousands ({@code Model.load(file).predict(raw)}, or
 * {@code nabla predict}), with nothing to undo by hand.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.HousePriceRegression [--quick]} ({@code --quick}: at most 15 epochs).
 */
public final class HousePriceRegression {

    private HousePriceRegression() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Trains, prints and returns the validation metrics ({@code loss}, {@code mae}, {@code r2}) in thousands. */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        SplittableRandom rng = new SplittableRandom(42);
        int n = 2000;
        int train = 1600;
        float[] features = new float[n * 3];
        float[] prices = new float[n];
        for (int i = 0; i < n; i++) {
            double size = 50 + 150 * rng.nextDouble();
            double rooms = 1 + rng.nextInt(6);
            double age = 60 * rng.nextDouble();
            features[3 * i] = (float) size;
            features[3 * i + 1] = (float) rooms;
            features[3 * i + 2] = (float) age;
            // a non-linear price in thousands, and some noise
            prices[i] = (float) (2.0 * size + 15 * rooms - 0.02 * age * age + rng.nextGaussian() * 10);
        }
        Tensor x = Tensor.of(features, n, 3);
        Tensor y = Tensor.of(prices, n, 1);

        // statistics of the training rows only: the validation rows stay unseen
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int j = 0; j < 3; j++) {
            double[] column = new double[train];
            for (int i = 0; i < train; i++) column[i] = features[3 * i + j];
            mean[j] = (float) mean(column);
            std[j] = (float) std(column);
        }
        double[] trainPrices = new double[train];
        for (int i = 0; i < train; i++) trainPrices[i] = prices[i];

        Sequential network = new Sequential(
                new Normalization(mean, std),
                new Dense(32, Activation.RELU),
                new Dense(32, Activation.RELU),
                new Dense(1)).seed(3);
        Model model = new Model(network).targetScaling(new Model.TargetScaling(mean(trainPrices), std(trainPrices)));
        model.compile(params -> new Adam(params, 3e-3f), new MeanSquaredError(), new MeanAbsoluteErrorMetric(), new RSquared());
        Tensor validationX = x.slice(train, n);
        Tensor validationY = y.slice(train, n);
        model.fit(x.slice(0, train), y.slice(0, train), new FitOptions().epochs(options.pick(100, 15)).batchSize(64).seed(3)
                .validationData(validationX, validationY)
                .callbacks(new EarlyStopping("val_loss", 5, 1e-4, true)));
        Map<String, Double> validation = model.evaluate(validationX, validationY);
        System.out.printf("trained %d epochs; validation (prices in thousands) %s%n", model.epochsDone(), validation);

        // the saved model takes raw features and gives prices: the same numbers as before saving
        Path file = options.output("house-prices.nabla");
        model.save(file);
        Tensor raw = Tensor.of(new float[]{120, 3, 10, 80, 2, 45}, 2, 3);
        float[] before = model.predict(raw).toArray();
        float[] after = Model.load(file).predict(raw).toArray();
        if (!Arrays.equals(before, after)) {
            throw new IllegalStateException("the reloaded model predicts " + Arrays.toString(after) + ", not " + Arrays.toString(before));
        }
        System.out.printf("a 120 m², 3-room, 10-year-old house: %.0f thousand; 80 m², 2 rooms, 45 years: %.0f thousand%n",
                after[0], after[1]);
        return validation;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / v.length);
    }
}
