package dev.nabla.cli;

import dev.nabla.autograd.GradMode;
import dev.nabla.tensor.Tensor;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains a 2-64-64-2 multilayer perceptron to tell two interleaved spirals apart, with plain tensor ops and
 * stochastic gradient descent: forward, loss, backward, update, batch after batch.
 */
final class SpiralDemo {

    private SpiralDemo() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int epochs = 60;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length || !(flag.equals("--epochs") || flag.equals("--seed"))) {
                err.println("error: unknown or incomplete option '" + flag + "' for demo (try: nabla --help)");
                return 2;
            }
            String value = args[++i];
            try {
                if (flag.equals("--epochs")) epochs = Integer.parseInt(value);
                else seed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                err.println("error: " + flag + " needs a whole number, got '" + value + "'");
                return 2;
            }
            if (epochs < 1) {
                err.println("error: --epochs must be at least 1, got " + epochs);
                return 2;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2000;
        float[] points = new float[n * 2];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            double r = rng.nextDouble();
            double angle = r * 3 * Math.PI + cls * Math.PI;
            points[2 * i] = (float) (r * Math.cos(angle) + rng.nextGaussian() * 0.02);
            points[2 * i + 1] = (float) (r * Math.sin(angle) + rng.nextGaussian() * 0.02);
            labels[i] = cls;
        }
        int train = 1600;
        Tensor x = Tensor.of(points, n, 2);
        Tensor y = Tensor.of(labels, n, 1);
        Tensor w1 = Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / 2), 2, 64).requiresGrad(true);
        Tensor b1 = Tensor.zeros(64).requiresGrad(true);
        Tensor w2 = Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / 64), 64, 64).requiresGrad(true);
        Tensor b2 = Tensor.zeros(64).requiresGrad(true);
        Tensor w3 = Tensor.normal(rng, 0f, (float) Math.sqrt(1.0 / 64), 64, 2).requiresGrad(true);
        Tensor b3 = Tensor.zeros(2).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2, w3, b3};
        float[][] velocity = new float[params.length][];
        for (int p = 0; p < params.length; p++) velocity[p] = new float[params[p].size()];
        int batch = 32;
        out.printf(Locale.ROOT, "Training a 2-64-64-2 MLP on %d points of two spirals (%d held out), %d epochs%n",
                n, n - train, epochs);
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double lossSum = 0;
            int batches = 0;
            for (int s = 0; s < train; s += batch) {
                int e = Math.min(train, s + batch);
                for (Tensor p : params) p.zeroGrad();
                Tensor logits = forward(x.slice(s, e), params);
                Tensor loss = logits.logSoftmax(1).gather(1, y.slice(s, e)).mean().neg();
                loss.backward();
                sgdMomentumStep(params, velocity, 0.05f, 0.9f);
                lossSum += loss.item();
                batches++;
            }
            if (epoch == 1 || epoch % 10 == 0 || epoch == epochs) {
                out.printf(Locale.ROOT, "epoch %3d  loss %.4f  held-out accuracy %.1f%%%n", epoch, lossSum / batches,
                        100 * accuracy(x.slice(train, n), y.slice(train, n), params));
            }
        }
        out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static Tensor forward(Tensor x, Tensor[] p) {
        return x.matmul(p[0]).add(p[1]).relu().matmul(p[2]).add(p[3]).relu().matmul(p[4]).add(p[5]);
    }

    private static void sgdMomentumStep(Tensor[] params, float[][] velocity, float lr, float momentum) {
        for (int p = 0; p < params.length; p++) {
            float[] w = params[p].data();
            float[] g = params[p].grad().data();
            float[] v = velocity[p];
            for (int i = 0; i < w.length; i++) {
                v[i] = momentum * v[i] + g[i];
                w[i] -= lr * v[i];
            }
        }
    }

    private static double accuracy(Tensor x, Tensor y, Tensor[] params) {
        try (var ignored = GradMode.noGrad()) {
            float[] predicted = forward(x, params).argmax(1, false).toArray();
            float[] truth = y.toArray();
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == truth[i]) correct++;
            return (double) correct / predicted.length;
        }
    }
}
