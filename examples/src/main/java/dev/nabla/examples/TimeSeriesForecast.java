package dev.nabla.examples;

import dev.nabla.loss.MeanSquaredError;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.nn.Dense;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Time-series forecasting with an LSTM and mean squared error: a generated series (two seasonal waves and noise) is
 * cut into windows of {@value #WINDOW} steps, each {@code [time, 1 feature]}, and the model learns the next value.
 * The first 80% of the series trains and the rest validates (later in time, as a forecast is used), and the result is
 * compared with the naive forecast "the next value is the last one". Then the model forecasts
 * {@value #HORIZON} steps ahead by feeding its own predictions back, and is saved and reloaded.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.TimeSeriesForecast [--quick]} ({@code --quick}: fewer epochs).
 */
public final class TimeSeriesForecast {

    static final int WINDOW = 24;
    static final int HORIZON = 10;

    private TimeSeriesForecast() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Trains, prints and returns the validation {@code loss} (MSE), {@code mae} and the naive forecast's {@code naive_mse}. */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        float[] series = series(2000, new SplittableRandom(42));
        int windows = series.length - WINDOW;
        int train = windows * 8 / 10;
        float[] x = new float[windows * WINDOW];
        float[] y = new float[windows];
        for (int i = 0; i < windows; i++) {
            System.arraycopy(series, i, x, i * WINDOW, WINDOW);
            y[i] = series[i + WINDOW];
        }
        // [windows, time, features]: one feature per step
        Tensor inputs = Tensor.of(x, windows, WINDOW, 1);
        Tensor targets = Tensor.of(y, windows, 1);

        Sequential network = new Sequential(new LSTM(32), new Dense(1)).seed(7);
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-2f), new MeanSquaredError(), new MeanAbsoluteErrorMetric());
        Tensor validationX = inputs.slice(train, windows);
        Tensor validationY = targets.slice(train, windows);
        model.fit(inputs.slice(0, train), targets.slice(0, train), new FitOptions().epochs(options.pick(30, 8))
                .batchSize(32).seed(7).validationData(validationX, validationY));

        Map<String, Double> result = new LinkedHashMap<>(model.evaluate(validationX, validationY));
        double naive = 0;
        for (int i = train; i < windows; i++) {
            double e = y[i] - x[i * WINDOW + WINDOW - 1];
            naive += e * e;
        }
        result.put("naive_mse", naive / (windows - train));
        System.out.printf("validation: %s (the naive forecast's mse: %.4f)%n", result, result.get("naive_mse"));

        float[] forecast = forecast(model, Arrays.copyOfRange(series, series.length - WINDOW, series.length));
        Path file = options.output("time-series.nabla");
        model.save(file);
        float[] again = forecast(Model.load(file), Arrays.copyOfRange(series, series.length - WINDOW, series.length));
        if (!Arrays.equals(forecast, again)) {
            throw new IllegalStateException("the reloaded model forecasts " + Arrays.toString(again) + ", not " + Arrays.toString(forecast));
        }
        StringBuilder line = new StringBuilder();
        for (float v : forecast) line.append(String.format(" %.2f", v));
        System.out.println("the next " + HORIZON + " values:" + line);
        return result;
    }

    /** {@value #HORIZON} steps after {@code window}, each prediction appended to the window for the next one. */
    static float[] forecast(Model model, float[] window) {
        float[] w = window.clone();
        float[] out = new float[HORIZON];
        for (int k = 0; k < HORIZON; k++) {
            out[k] = model.predict(Tensor.of(w, 1, WINDOW, 1)).toArray()[0];
            System.arraycopy(w, 1, w, 0, WINDOW - 1);
            w[WINDOW - 1] = out[k];
        }
        return out;
    }

    /** Two seasonal waves (periods 25 and 7.3 steps) and Gaussian noise of 0.1. */
    static float[] series(int length, SplittableRandom rng) {
        float[] s = new float[length];
        for (int t = 0; t < length; t++) {
            s[t] = (float) (Math.sin(2 * Math.PI * t / 25.0) + 0.5 * Math.sin(2 * Math.PI * t / 7.3) + 0.1 * rng.nextGaussian());
        }
        return s;
    }
}
