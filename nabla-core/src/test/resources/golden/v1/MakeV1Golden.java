// Writes the golden model files of model format version 1, with the Nabla release that writes format 1
// (commit 429eaccb1ab03804c9f0865c59fa47be63d78a21).
//
// This file is kept as text: Maven does not compile it. scripts/make-v1-golden.sh builds that release in a temporary
// git worktree and runs this program against it, as a single-file source program:
//
//   java -cp <that release's nabla-cli/target/nabla.jar> MakeV1Golden.java library OUTDIR    (library models)
//   java -cp <that release's nabla-cli/target/nabla.jar> MakeV1Golden.java cli-data OUTDIR   (data for the CLI models)
//
// Everything is generated from fixed seeds; nothing is downloaded or read from elsewhere. Only the release's public
// API is used (Model, Sequential and the layers, losses, optimizers, metrics, FitOptions, Tensor).
//
// For each library model NAME it writes NAME.nabla, NAME.inputs.txt and NAME.targets.txt (tensor files: a line
// "shape D1 D2 ..." and then one float per line, Float.toString, row-major) and NAME.expected.txt (see expected()).

import dev.nabla.io.ModelArchive;
import dev.nabla.loss.BinaryCrossEntropy;
import dev.nabla.loss.CategoricalCrossEntropy;
import dev.nabla.loss.Huber;
import dev.nabla.loss.MeanAbsoluteError;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.metrics.F1Score;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.MeanSquaredErrorMetric;
import dev.nabla.metrics.Metric;
import dev.nabla.metrics.Precision;
import dev.nabla.metrics.RSquared;
import dev.nabla.metrics.Recall;
import dev.nabla.metrics.TopKAccuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.AvgPool2D;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Initializer;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adagrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RmsProp;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

public class MakeV1Golden {

    static final String RELEASE = "429eaccb1ab03804c9f0865c59fa47be63d78a21";

    /** The one epoch of training that the test repeats on the loaded file (on the inputs and targets). */
    static final int RESUME_EPOCHS = 1;
    static final int RESUME_BATCH = 8;
    static final long RESUME_SEED = 11;

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("library") || args[0].equals("cli-data"))) {
            System.err.println("usage: java -cp nabla.jar MakeV1Golden.java library|cli-data OUTDIR");
            System.exit(2);
        }
        if (ModelArchive.FORMAT_VERSION != 1) {
            throw new IllegalStateException("this Nabla writes model format version " + ModelArchive.FORMAT_VERSION
                    + "; the v1 golden files must be written by the release that writes format 1 (" + RELEASE + ")");
        }
        Path out = Files.createDirectories(Path.of(args[1]));
        if (args[0].equals("library")) library(out);
        else cliData(out);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // library models

    record Case(String name, String covers, Model model, Tensor trainX, Tensor trainY, Tensor x, Tensor y,
                FitOptions fit) {
    }

    static void library(Path out) throws IOException {
        List<Case> cases = List.of(
                denseSparseCeAdam(), convMseSgdMomentum(), convBceRmsprop(), batchnormHuberAdamw(),
                embeddingMaeAdagrad(), activationsCceSgd(), uncompiled(), compiledNotTrained());
        for (Case c : cases) write(out, c);
    }

    /** Dense with and without bias, several activations, Dropout, LayerNorm over features; sparse CE + Adam. */
    static Case denseSparseCeAdam() {
        SplittableRandom rng = new SplittableRandom(101);
        float[][] w = new float[6][3];
        for (float[] row : w) for (int k = 0; k < 3; k++) row[k] = (float) rng.nextGaussian();
        Tensor[] train = classes(rng, 96, 6, w);
        Tensor[] test = classes(rng, 16, 6, w);
        Sequential net = new Sequential(
                new Dense(16, Activation.RELU),
                new Dropout(0.25f),
                new Dense(12, Activation.TANH, false, Initializer.torchDefault(), Initializer.torchDefault()),
                new LayerNorm(),
                new Dense(8, Activation.ELU),
                new Dense(3)).seed(1);
        Model model = new Model(net);
        model.compile(p -> new Adam(p, 0.01f), new SparseCategoricalCrossEntropy(),
                new Accuracy(), new TopKAccuracy(2), new Precision(), new Recall(), new F1Score());
        return new Case("dense_sparse_ce_adam",
                "dense (relu, tanh without bias, elu, linear), dropout, layernorm over [features]; "
                        + "sparse categorical cross-entropy (predict = softmax) + Adam; accuracy, top-2, precision, "
                        + "recall, f1; validation split (val_ entries in the history)",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(3).batchSize(16).seed(5).validationSplit(0.25));
    }

    /** Conv2D relu + MaxPool2D (the fused op), padded and strided linear Conv2D, BatchNorm over [C,H,W]; MSE + SGD. */
    static Case convMseSgdMomentum() {
        SplittableRandom rng = new SplittableRandom(202);
        Tensor[] train = imageRegression(rng, 48);
        Tensor[] test = imageRegression(rng, 12);
        Sequential net = new Sequential(
                new Conv2D(6, 3, 1, 1, Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(4, 3, 2, 1, Activation.LINEAR),
                new BatchNorm(),
                new ActivationLayer(Activation.RELU),
                new Flatten(),
                new Dense(2)).seed(2);
        Model model = new Model(net);
        model.compile(p -> new Sgd(p, 0.02f, 0.9, 0, 1e-4, true), new MeanSquaredError(),
                new MeanSquaredErrorMetric(), new MeanAbsoluteErrorMetric(), new RSquared());
        return new Case("conv_mse_sgd_momentum",
                "conv2d 3x3 relu padding 1 followed by maxpool2d 2 (the fused conv+relu+maxpool op), conv2d 3x3 "
                        + "linear stride 2 padding 1, batchnorm over [C,H,W] (running statistics), relu layer, "
                        + "flatten, dense; mse + SGD with Nesterov momentum and weight decay; mse, mae, r2",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(2).batchSize(8).seed(6));
    }

    /** Conv2D tanh, AvgPool2D, Conv2D sigmoid, MaxPool2D on its own (stride 1), GlobalAveragePool; BCE + RMSprop. */
    static Case convBceRmsprop() {
        SplittableRandom rng = new SplittableRandom(303);
        Tensor[] train = stripes(rng, 40);
        Tensor[] test = stripes(rng, 12);
        Sequential net = new Sequential(
                new Conv2D(4, 3, Activation.TANH),
                new AvgPool2D(2),
                new Conv2D(5, 2, Activation.SIGMOID),
                new MaxPool2D(2, 1),
                new GlobalAveragePool(),
                new Dense(1)).seed(3);
        Model model = new Model(net);
        model.compile(p -> new RmsProp(p, 0.02f, 0.9, 1e-8, 0, 0.5, true), new BinaryCrossEntropy(true),
                new Accuracy(true), new Precision(true), new Recall(true), new F1Score(true), new ConfusionMatrix(true));
        return new Case("conv_bce_rmsprop",
                "conv2d 3x3 tanh (valid), avgpool2d 2, conv2d 2x2 sigmoid, maxpool2d 2 stride 1 on its own (not "
                        + "fused), global average pool, dense with one logit; binary cross-entropy from logits "
                        + "(predict = sigmoid) + centered RMSprop with momentum; binary accuracy, precision, recall, "
                        + "f1, confusion_matrix (metrics built from logits)",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(4).batchSize(8).seed(7));
    }

    /** Dense leaky_relu, BatchNorm over [features], ActivationLayer gelu; Huber + AdamW (amsgrad). */
    static Case batchnormHuberAdamw() {
        SplittableRandom rng = new SplittableRandom(404);
        Tensor[] train = waves(rng, 64, 5);
        Tensor[] val = waves(rng, 16, 5);
        Tensor[] test = waves(rng, 16, 5);
        Sequential net = new Sequential(
                new Dense(12, Activation.LEAKY_RELU),
                new BatchNorm(0.2f, 1e-3f),
                new ActivationLayer(Activation.GELU),
                new Dense(6, Activation.SIGMOID),
                new Dense(1)).seed(4);
        Model model = new Model(net);
        model.compile(p -> new AdamW(p, 0.01f, 0.9, 0.99, 1e-7, 0.05, true), new Huber(0.5f),
                new MeanAbsoluteErrorMetric(), new MeanSquaredErrorMetric());
        return new Case("batchnorm_huber_adamw",
                "dense leaky_relu, batchnorm over [features] (momentum 0.2, epsilon 1e-3, running statistics), "
                        + "gelu layer, dense sigmoid, dense; huber (delta 0.5) + AdamW with amsgrad; mae, mse; "
                        + "validation data (val_ entries in the history)",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(3).batchSize(16).seed(8).validationData(val[0], val[1]));
    }

    /** Embedding of token ids, LayerNorm over [tokens, dimension] samples, Flatten, Dense gelu; MAE + Adagrad. */
    static Case embeddingMaeAdagrad() {
        SplittableRandom rng = new SplittableRandom(505);
        float[] value = new float[10];
        for (int i = 0; i < value.length; i++) value[i] = (float) rng.nextGaussian();
        Tensor[] train = tokens(rng, 64, value);
        Tensor[] test = tokens(rng, 16, value);
        Sequential net = new Sequential(
                new Embedding(10, 3),
                new LayerNorm(1e-4f),
                new Flatten(),
                new Dense(8, Activation.GELU),
                new Dense(1)).seed(5);
        Model model = new Model(net);
        model.compile(p -> new Adagrad(p, 0.05f, 0.01, 1e-4, 0.1, 1e-10), new MeanAbsoluteError(),
                new MeanSquaredErrorMetric(), new RSquared());
        return new Case("embedding_mae_adagrad",
                "embedding (vocabulary 10, dimension 3) of [4] token ids, layernorm over [4, 3] samples, flatten, "
                        + "dense gelu, dense; mae + Adagrad (lr decay, weight decay, initial accumulator); mse, r2",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(3).batchSize(16).seed(9));
    }

    /** Every activation as a Dense activation and as an ActivationLayer; categorical CE with smoothing + plain SGD. */
    static Case activationsCceSgd() {
        SplittableRandom rng = new SplittableRandom(606);
        float[][] w = new float[4][3];
        for (float[] row : w) for (int k = 0; k < 3; k++) row[k] = (float) rng.nextGaussian();
        Tensor[] train = oneHot(classes(rng, 48, 4, w), 3);
        Tensor[] test = oneHot(classes(rng, 16, 4, w), 3);
        Sequential net = new Sequential(
                new Dense(8, Activation.SIGMOID), new ActivationLayer(Activation.RELU),
                new Dense(8, Activation.SOFTMAX), new ActivationLayer(Activation.LEAKY_RELU),
                new Dense(8, Activation.GELU), new ActivationLayer(Activation.ELU),
                new Dense(8, Activation.LEAKY_RELU), new ActivationLayer(Activation.GELU),
                new Dense(8, Activation.ELU), new ActivationLayer(Activation.TANH),
                new Dense(8, Activation.TANH), new ActivationLayer(Activation.SIGMOID),
                new Dense(8, Activation.LINEAR), new ActivationLayer(Activation.LINEAR),
                new Dense(8, Activation.RELU, false, Initializer.torchDefault(), Initializer.torchDefault()),
                new ActivationLayer(Activation.SOFTMAX),
                new Dense(3)).seed(6);
        Model model = new Model(net);
        model.compile(p -> new Sgd(p, 0.5f, 0, 0, 1e-3, false), new CategoricalCrossEntropy(0.1f),
                new Accuracy(), new TopKAccuracy(2));
        return new Case("activations_cce_sgd",
                "every activation both as a dense activation (sigmoid, softmax, gelu, leaky_relu, elu, tanh, linear, "
                        + "relu without bias) and as an activation layer (relu, leaky_relu, elu, gelu, tanh, sigmoid, "
                        + "linear, softmax); categorical cross-entropy on one-hot targets with label smoothing 0.1 + "
                        + "plain SGD with weight decay; accuracy, top-2",
                model, train[0], train[1], test[0], test[1],
                new FitOptions().epochs(2).batchSize(12).seed(10).shuffle(false));
    }

    /** Built but never compiled: no loss, optimizer or history; predict returns the raw outputs. */
    static Case uncompiled() {
        SplittableRandom rng = new SplittableRandom(707);
        Sequential net = new Sequential(new Dense(5, Activation.RELU), new Dense(2)).seed(7).build(4);
        Model model = new Model(net);
        model.metadata().put("note", "built, never compiled");
        model.metadata().put("numbers", List.of(1L, 2.5, true));
        Tensor x = Tensor.randn(rng, 8, 4);
        return new Case("uncompiled",
                "a Sequential built for [4] inputs and saved without compile or fit: no loss, no optimizer, no "
                        + "history; predict returns raw outputs; free-form metadata",
                model, null, null, x, null, null);
    }

    /** Compiled but saved before the first fit: a loss and metrics, but no optimizer (v1 creates it in fit). */
    static Case compiledNotTrained() {
        SplittableRandom rng = new SplittableRandom(808);
        Sequential net = new Sequential(new Dense(4, Activation.TANH), new Dense(3)).seed(8).build(3);
        Model model = new Model(net);
        model.compile(p -> new Adam(p, 0.001f), new SparseCategoricalCrossEntropy(0.05f), new Accuracy());
        Tensor x = Tensor.randn(rng, 6, 3);
        float[] labels = new float[6];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
        return new Case("compiled_not_trained",
                "compiled (sparse cross-entropy with label smoothing 0.05, accuracy) and saved before any fit: the "
                        + "file has a loss and metrics but no optimizer and no history",
                model, null, null, x, Tensor.of(labels, 6), null);
    }

    static void write(Path out, Case c) throws IOException {
        Model model = c.model();
        if (c.fit() != null) model.fit(c.trainX(), c.trainY(), c.fit());
        Path file = out.resolve(c.name() + ".nabla");
        model.save(file);

        Model loaded = Model.load(file);
        Tensor predicted = loaded.predict(c.x());
        if (!Arrays.equals(predicted.toArray(), model.predict(c.x()).toArray())) {
            throw new IllegalStateException(c.name() + ": the loaded model predicts differently from the saved one");
        }
        writeTensor(out.resolve(c.name() + ".inputs.txt"), c.x());
        if (c.y() != null) writeTensor(out.resolve(c.name() + ".targets.txt"), c.y());

        StringBuilder sb = new StringBuilder();
        sb.append("# Expected results of ").append(c.name()).append(".nabla, written by MakeV1Golden.java with Nabla ")
                .append(RELEASE).append(" (model format version ").append(ModelArchive.FORMAT_VERSION).append(").\n");
        sb.append("# Covers: ").append(c.covers()).append('\n');
        sb.append("# Lines are KEY VALUE...; floats are Float.toString / Double.toString (exact).\n");
        sb.append("format_version ").append(ModelArchive.FORMAT_VERSION).append('\n');
        sb.append("loss ").append(loaded.loss() == null ? "none" : loaded.loss().name()).append('\n');
        if (loaded.loss() != null) sb.append("loss_config").append(pairs(new TreeMap<>(loaded.loss().config()))).append('\n');
        sb.append("metrics");
        for (Metric m : loaded.metrics()) sb.append(' ').append(m.name());
        sb.append('\n');
        Optimizer o = loaded.optimizer();
        sb.append("optimizer ").append(o == null ? "none" : o.name()).append('\n');
        if (o != null) {
            sb.append("optimizer_learning_rate ").append(o.learningRate()).append('\n');
            sb.append("optimizer_hyperparameters").append(pairs(new TreeMap<>(o.hyperparameters()))).append('\n');
            sb.append("optimizer_steps ").append(o.steps()).append('\n');
        }
        sb.append("epochs_done ").append(loaded.epochsDone()).append('\n');
        sb.append("history_size ").append(loaded.history().size()).append('\n');
        for (int e = 0; e < loaded.history().size(); e++) {
            sb.append("history ").append(e + 1).append(pairs(loaded.history().epochs().get(e))).append('\n');
        }
        if (!loaded.metadata().isEmpty()) {
            sb.append("metadata ").append(dev.nabla.io.Json.write(loaded.metadata())).append('\n');
        }
        if (c.y() != null) sb.append("evaluate").append(pairs(loaded.evaluate(c.x(), c.y()))).append('\n');
        appendTensor(sb, "predict", predicted);

        if (o != null) {
            // one more epoch on the loaded file, as the test repeats it
            Model resumed = Model.load(file);
            resumed.fit(c.x(), c.y(), new FitOptions().epochs(RESUME_EPOCHS).batchSize(RESUME_BATCH).seed(RESUME_SEED));
            sb.append("resume epochs=").append(RESUME_EPOCHS).append(" batch_size=").append(RESUME_BATCH)
                    .append(" seed=").append(RESUME_SEED).append('\n');
            sb.append("resume_epochs_done ").append(resumed.epochsDone()).append('\n');
            sb.append("resume_optimizer_steps ").append(resumed.optimizer().steps()).append('\n');
            sb.append("resume_history").append(pairs(resumed.history().last())).append('\n');
            appendTensor(sb, "resume_predict", resumed.predict(c.x()));
        }
        Files.writeString(out.resolve(c.name() + ".expected.txt"), sb, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%-24s %7d bytes%n", c.name() + ".nabla", Files.size(file));
    }

    static String pairs(Map<String, ?> map) {
        StringBuilder sb = new StringBuilder();
        for (var e : map.entrySet()) sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        return sb.toString();
    }

    static void appendTensor(StringBuilder sb, String key, Tensor t) {
        int[] shape = t.shape();
        sb.append(key).append("_shape");
        for (int d : shape) sb.append(' ').append(d);
        sb.append('\n');
        float[] v = t.toArray();
        int row = shape.length <= 1 ? 1 : v.length / shape[0];
        for (int i = 0; i < v.length; i += row) {
            sb.append(key);
            for (int j = i; j < i + row; j++) sb.append(' ').append(Float.toString(v[j]));
            sb.append('\n');
        }
    }

    static void writeTensor(Path file, Tensor t) throws IOException {
        StringBuilder sb = new StringBuilder("shape");
        for (int d : t.shape()) sb.append(' ').append(d);
        sb.append('\n');
        for (float f : t.toArray()) sb.append(Float.toString(f)).append('\n');
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generated data

    /** Gaussian features; the class is the argmax of x @ w. Returns {x [n, d], labels [n]}. */
    static Tensor[] classes(SplittableRandom rng, int n, int d, float[][] w) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        int k = w[0].length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i * d + j] = round((float) rng.nextGaussian());
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += x[i * d + j] * w[j][c];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            y[i] = best;
        }
        return new Tensor[]{Tensor.of(x, n, d), Tensor.of(y, n)};
    }

    static Tensor[] oneHot(Tensor[] xy, int k) {
        float[] labels = xy[1].toArray();
        float[] rows = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) rows[i * k + (int) labels[i]] = 1f;
        return new Tensor[]{xy[0], Tensor.of(rows, labels.length, k)};
    }

    /** [n, 2, 8, 8] noise; targets [n, 2]: the mean of channel 0 and the left-minus-right difference of channel 1. */
    static Tensor[] imageRegression(SplittableRandom rng, int n) {
        float[] x = new float[n * 2 * 64];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            double diff = 0;
            for (int c = 0; c < 2; c++) {
                for (int p = 0; p < 64; p++) {
                    float v = round((float) rng.nextDouble());
                    x[(i * 2 + c) * 64 + p] = v;
                    if (c == 0) mean += v / 64;
                    else diff += (p % 8 < 4 ? v : -v) / 32;
                }
            }
            y[i * 2] = round((float) (mean * 4 - 2));
            y[i * 2 + 1] = round((float) (diff * 4));
        }
        return new Tensor[]{Tensor.of(x, n, 2, 8, 8), Tensor.of(y, n, 2)};
    }

    /** [n, 1, 8, 8] horizontal (label 0) or vertical (label 1) stripes with noise; targets [n, 1]. */
    static Tensor[] stripes(SplittableRandom rng, int n) {
        float[] x = new float[n * 64];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            int phase = rng.nextInt(2);
            for (int r = 0; r < 8; r++) {
                for (int col = 0; col < 8; col++) {
                    int line = label == 0 ? r : col;
                    double v = ((line + phase) % 2 == 0 ? 0.8 : 0.2) + (rng.nextDouble() - 0.5) * 0.3;
                    x[i * 64 + r * 8 + col] = round((float) v);
                }
            }
            y[i] = label;
        }
        return new Tensor[]{Tensor.of(x, n, 1, 8, 8), Tensor.of(y, n, 1)};
    }

    /** Features uniform in [-2, 2]; target [n, 1] = sum of sin(x_j * (j + 1) / 2) plus noise. */
    static Tensor[] waves(SplittableRandom rng, int n, int d) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                float v = round((float) (rng.nextDouble() * 4 - 2));
                x[i * d + j] = v;
                s += Math.sin(v * (j + 1) / 2.0);
            }
            y[i] = round((float) (s + rng.nextGaussian() * 0.1));
        }
        return new Tensor[]{Tensor.of(x, n, d), Tensor.of(y, n, 1)};
    }

    /** [n, 4] token ids in [0, 10); target [n, 1] = the mean value of the tokens. */
    static Tensor[] tokens(SplittableRandom rng, int n, float[] value) {
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < 4; t++) {
                int id = rng.nextInt(value.length);
                x[i * 4 + t] = id;
                s += value[id] / 4;
            }
            y[i] = round((float) s);
        }
        return new Tensor[]{Tensor.of(x, n, 4), Tensor.of(y, n, 1)};
    }

    /** Rounds to 4 decimals so the text files stay short (the value is still stored exactly). */
    static float round(float v) {
        return Math.round(v * 10000f) / 10000f;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // data for the CLI models (the script runs that release's `nabla train`, `predict` and `evaluate` on it)

    static void cliData(Path out) throws IOException {
        // (a) 3 string classes, 4 numeric features on different scales (train standardises them)
        String[] species = {"setosa", "versicolor", "virginica"};
        SplittableRandom rng = new SplittableRandom(11);
        Files.writeString(out.resolve("iris.csv"), irisCsv(rng, 60, species, true));
        Files.writeString(out.resolve("iris-test.csv"), irisCsv(rng, 15, species, true));
        Files.writeString(out.resolve("iris-predict.csv"), irisCsv(rng, 6, species, false));
        // (b) regression: price = 300 rooms + 2 area + noise, around 1,500 (train standardises the target)
        rng = new SplittableRandom(12);
        Files.writeString(out.resolve("prices.csv"), pricesCsv(rng, 60));
        Files.writeString(out.resolve("prices-test.csv"), pricesCsv(rng, 15));
        // (d) two string classes for binary cross-entropy (one logit)
        rng = new SplittableRandom(13);
        Files.writeString(out.resolve("ring.csv"), ringCsv(rng, 60));
        Files.writeString(out.resolve("ring-test.csv"), ringCsv(rng, 15));
        // (c) 3 classes of 8x8 colour PNGs
        rng = new SplittableRandom(14);
        images(rng, out.resolve("shapes/train"), 8);
        images(rng, out.resolve("shapes/test"), 3);
    }

    static String irisCsv(SplittableRandom rng, int rows, String[] classes, boolean withLabel) {
        StringBuilder sb = new StringBuilder(withLabel ? "sepal_length,sepal_width,species,petal_length,petal_width\n"
                : "sepal_length,sepal_width,petal_length,petal_width\n");
        double[] scale = {1, 10, 100, 0.1};
        for (int i = 0; i < rows; i++) {
            int k = i % 3;
            double[] f = new double[4];
            for (int j = 0; j < 4; j++) f[j] = (5 + k * (j % 2 == 0 ? 1.0 : -0.6) + rng.nextGaussian() * 0.6) * scale[j];
            sb.append(fmt(f[0])).append(',').append(fmt(f[1])).append(',');
            if (withLabel) sb.append(classes[k]).append(',');
            sb.append(fmt(f[2])).append(',').append(fmt(f[3])).append('\n');
        }
        return sb.toString();
    }

    static String pricesCsv(SplittableRandom rng, int rows) {
        StringBuilder sb = new StringBuilder("rooms,area,age,price\n");
        for (int i = 0; i < rows; i++) {
            double rooms = 1 + rng.nextInt(5);
            double area = 20 + rng.nextDouble() * 180;
            double age = rng.nextInt(60);
            double price = 300 * rooms + 2 * area - 3 * age + rng.nextGaussian() * 20;
            sb.append(fmt(rooms)).append(',').append(fmt(area)).append(',').append(fmt(age)).append(',')
                    .append(fmt(price)).append('\n');
        }
        return sb.toString();
    }

    static String ringCsv(SplittableRandom rng, int rows) {
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < rows; i++) {
            boolean inner = i % 2 == 0;
            double angle = rng.nextDouble() * 2 * Math.PI;
            double radius = (inner ? 1 : 2.5) + rng.nextGaussian() * 0.3;
            sb.append(fmt(radius * Math.cos(angle))).append(',').append(fmt(radius * Math.sin(angle))).append(',')
                    .append(inner ? "inner" : "outer").append('\n');
        }
        return sb.toString();
    }

    /** Classes "checker", "horizontal", "vertical": 8x8 RGB patterns in a random tint, with noise. */
    static void images(SplittableRandom rng, Path root, int perClass) throws IOException {
        for (String cls : List.of("checker", "horizontal", "vertical")) {
            Path dir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                int[] tint = {100 + rng.nextInt(156), 100 + rng.nextInt(156), 100 + rng.nextInt(156)};
                int phase = rng.nextInt(2);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int line = switch (cls) {
                            case "checker" -> x + y;
                            case "horizontal" -> y;
                            default -> x;
                        };
                        boolean on = (line + phase) % 2 == 0;
                        int rgb = 0;
                        for (int ch = 0; ch < 3; ch++) {
                            int v = (on ? tint[ch] : tint[ch] / 4) + rng.nextInt(21) - 10;
                            rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
                        }
                        img.setRGB(x, y, rgb);
                    }
                }
                ImageIO.write(img, "png", dir.resolve(String.format(Locale.ROOT, "%02d.png", i)).toFile());
            }
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
