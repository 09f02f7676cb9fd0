package dev.nabla.examples;

import dev.nabla.config.Default;
import dev.nabla.io.Json;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.metrics.RSquared;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Architecture;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer of your own: {@link Scale} multiplies each feature by a learned factor. It is a {@link Layer} with a
 * {@code Config} record (its settings, with {@link Default}s) and one registration line,
 * {@code Layers.register(Layers.layer("scale", Scale.Config.class, Scale::new))}; from then on it saves and loads
 * in model files, is written in architecture files as {@code {"type": "scale", "init": 0.5}} and on the command line
 * as {@code scale:0.5}, and shows in summaries. The program trains a small regression with it, saves the model,
 * loads it back, checks the predictions are identical, and builds the same network from architecture JSON.
 * See {@code docs/adding-a-layer.md}.
 *
 * <p>Run: {@code java -cp ... dev.nabla.examples.CustomLayer [--quick]} ({@code --quick}: 5 epochs instead of 40).
 */
public final class CustomLayer {

    // Registered once per JVM, when this class is first used: a model file naming "scale" loads only after this line
    // has run (a file never makes Nabla load a class by itself).
    static {
        Layers.register(Layers.layer("scale", Scale.Config.class, Scale::new).summary("multiplies each feature by a learned factor"));
    }

    private CustomLayer() {
    }

    /** {@code x * factor}, one learned factor per feature (the last axis), all starting at {@code init}. */
    public static final class Scale extends Layer {

        /** @param init every factor's first value */
        public record Config(@Default("1") float init) {
            public Config {
                if (!Float.isFinite(init)) throw new IllegalArgumentException("init must be finite, got " + init);
            }
        }

        private final Config config;
        private Tensor factor;

        public Scale(Config config) {
            this.config = config;
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape.clone();
        }

        @Override
        protected void build(int[] inputShape) {
            // registered parameters are trained, saved and loaded with the model
            factor = registerParameter("factor", Tensor.full(config.init(), inputShape[inputShape.length - 1]));
        }

        @Override
        protected Tensor call(Tensor x) {
            return x.mul(factor);
        }
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Trains, checks save and load, prints and returns the validation metrics ({@code loss}, {@code r2}). */
    public static Map<String, Double> run(String... args) throws Exception {
        ExampleArgs options = ExampleArgs.parse(args);
        SplittableRandom rng = new SplittableRandom(5);
        int n = 1200;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                x[4 * i + j] = (float) rng.nextGaussian();
                sum += (j + 1) * x[4 * i + j];
            }
            y[i] = (float) (Math.sin(sum / 3) + 0.05 * rng.nextGaussian());
        }
        Tensor features = Tensor.of(x, n, 4);
        Tensor targets = Tensor.of(y, n, 1);

        Sequential network = new Sequential(new Scale(new Scale.Config(0.5f)), new Dense(32, Activation.TANH), new Dense(1)).seed(2);
        System.out.println(network.build(4).summary());
        Model model = new Model(network);
        model.compile(params -> new Adam(params, 1e-2f), new MeanSquaredError(), new RSquared());
        model.fit(features.slice(0, 1000), targets.slice(0, 1000), new FitOptions().epochs(options.pick(40, 5)).batchSize(50).seed(2));
        Map<String, Double> validation = model.evaluate(features.slice(1000, n), targets.slice(1000, n));
        System.out.println("validation: " + validation);

        Path file = options.output("custom-layer.nabla");
        model.save(file);
        Model loaded = Model.load(file);
        float[] before = model.predict(features).toArray();
        float[] after = loaded.predict(features).toArray();
        if (!Arrays.equals(before, after)) throw new IllegalStateException("the model loaded from " + file + " predicts differently");
        Module first = ((Sequential) loaded.network()).layers().get(0);
        System.out.println("saved and loaded " + file + ": identical predictions; its first layer is " + first.describe()
                + ", learned factors " + Arrays.toString(first.parameters().get(0).toArray()));

        // the same network from an architecture file (what nabla train --arch @file reads) and from a command-line token
        @SuppressWarnings("unchecked")
        Map<String, Object> arch = (Map<String, Object>) Json.parse(
                "{\"layers\": [{\"type\": \"scale\", \"init\": 0.5}, {\"type\": \"dense\", \"units\": 32, \"activation\": \"tanh\"},"
                        + " {\"type\": \"dense\", \"units\": 1}]}");
        Module fromJson = Architecture.fromSpec(arch, new int[]{4}, null, "architecture");
        System.out.println("from JSON: " + Json.write(Architecture.toJson(fromJson)));
        System.out.println("from the token 'scale:0.5': " + Layers.fromToken("scale:0.5", "token").describe());
        return validation;
    }
}
