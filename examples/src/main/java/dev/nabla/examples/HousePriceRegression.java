package dev.nabla.examples;

import dev.nabla.loss.MeanSquaredError;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.RSquared;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.util.SplittableRandom;

/**
 * Regression with mean squared error: predicts a price from three features of generated houses (size, rooms,
 * age), with early stopping on the validation loss.
 */
public final class HousePriceRegression {

    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 2000;
        float[] features = new float[n * 3];
        float[] prices = new float[n];
        for (int i = 0; i < n; i++) {
            double size = 50 + 150 * rng.nextDouble();
            double rooms = 1 + rng.nextInt(6);
            double age = 60 * rng.nextDouble();
            // standardised inputs, a non-linear price in thousands, and some noise
            features[3 * i] = (float) ((size - 125) / 43);
            features[3 * i + 1] = (float) ((rooms - 3.5) / 1.7);
            features[3 * i + 2] = (float) ((age - 30) / 17);
            prices[i] = (float) ((2.0 * size + 15 * rooms - 0.02 * age * age + rng.nextGaussian() * 10) / 100);
        }
        Tensor x = Tensor.of(features, n, 3);
        Tensor y = Tensor.of(prices, n, 1);

        Model model = new Model(new Sequential(new Dense(32, Activation.RELU), new Dense(32, Activation.RELU), new Dense(1)).seed(3));
        model.compile(params -> new Adam(params, 3e-3f), new MeanSquaredError(), new MeanAbsoluteErrorMetric(), new RSquared());
        model.fit(x, y, new FitOptions().epochs(100).batchSize(64).validationSplit(0.2).seed(3)
                .callbacks(new EarlyStopping("val_loss", 5, 1e-4, true)));
        System.out.printf("trained %d epochs; validation %s%n", model.epochsDone(),
                model.evaluate(x.slice(1600, 2000), y.slice(1600, 2000)));
    }
}
