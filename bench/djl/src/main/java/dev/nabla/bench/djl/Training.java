package dev.nabla.bench.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A Fashion-MNIST training workload on DJL, the recipe of {@code torch_bench.py}'s {@code train}: each epoch walks the
 * mini-batches of a shuffle order (the start file's, else one drawn from the seed), each step in its own
 * {@link NDManager} scope (the batch, the activations, the loss), forward, softmax cross-entropy, backward through a
 * {@link GradientCollector}, {@link Trainer#step()}; the loss is read back every step as {@code loss.item()} is.
 * The test accuracy is taken afterwards in evaluation mode, one scope per batch.
 */
final class Training {

    /** What to train: the network, its optimizer, the shape of one sample, batch size and epochs. */
    record Recipe(String workload, Supplier<Block> network, Supplier<Optimizer> optimizer, long[] sampleShape,
                  int batch, int epochs, int evalBatch) {
    }

    /** The trained model and the result line (without peak RSS). */
    record Outcome(Model model, JsonLine result) {
    }

    private Training() {
    }

    static Outcome run(Recipe recipe, int threads, long seed, StartFile start, MnistData.Split train,
                       MnistData.Split test, StartMapping mapping) throws IOException {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance(recipe.workload());
        model.setBlock(recipe.network().get());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(recipe.optimizer().get());
        int n = train.size();
        int sample = (int) product(recipe.sampleShape());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(shape(recipe.batch(), recipe.sampleShape()));
            if (start != null) {
                mapping.copy(start, model.getBlock().getParameters());
                System.err.println("djl_bench: starting from Nabla's initial weights and shuffle order");
            }
            ByteBuffer xBytes = ByteBuffer.allocateDirect(recipe.batch() * sample * 4).order(ByteOrder.nativeOrder());
            ByteBuffer yBytes = ByteBuffer.allocateDirect(recipe.batch() * 8).order(ByteOrder.nativeOrder());
            FloatBuffer x = xBytes.asFloatBuffer();
            LongBuffer y = yBytes.asLongBuffer();
            Random shuffle = new Random(seed);
            List<Double> epochS = new ArrayList<>();
            double finalLoss = Double.NaN;
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                long t0 = System.nanoTime();
                int[] order = start != null ? start.order(epoch, n) : permutation(n, shuffle);
                double lossSum = 0;
                for (int i = 0; i < n; i += recipe.batch()) {
                    int b = Math.min(recipe.batch(), n - i);
                    x.clear();
                    y.clear();
                    for (int j = 0; j < b; j++) {
                        int row = order[i + j];
                        x.put(train.images(), row * sample, sample);
                        y.put(train.labels()[row]);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray xb = scope.create(xBytes.duplicate().limit(b * sample * 4), shape(b, recipe.sampleShape()),
                                DataType.FLOAT32);
                        NDArray yb = scope.create(yBytes.duplicate().limit(b * 8), new Shape(b), DataType.INT64);
                        NDArray loss;
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predicted = trainer.forward(new NDList(xb));
                            loss = trainer.getLoss().evaluate(new NDList(yb), predicted);
                            collector.backward(loss);
                        }
                        trainer.step();
                        float stepLoss = loss.getFloat();
                        // the first step's loss, before any update has changed the weights: with the same start it
                        // is the same on every side unless the networks differ
                        if (epoch == 0 && i == 0) {
                            System.err.printf(Locale.ROOT, "djl_bench: %s first step: loss %.6f%n", recipe.workload(), stepLoss);
                        }
                        lossSum += stepLoss * b;
                    }
                }
                double s = (System.nanoTime() - t0) * 1e-9;
                epochS.add(JsonLine.round(s, 3));
                finalLoss = lossSum / n;
                System.err.printf(Locale.ROOT, "djl_bench: %s epoch %d/%d: %.2f s, loss %.4f%n", recipe.workload(),
                        epoch + 1, recipe.epochs(), s, finalLoss);
            }
            double[] seconds = epochS.stream().mapToDouble(Double::doubleValue).toArray();
            double median = Timing.median(seconds);
            double accuracy = accuracy(model, test, recipe.sampleShape(), recipe.evalBatch());
            JsonLine result = new JsonLine()
                    .put("workload", recipe.workload()).put("framework", "djl").put("threads", threads)
                    .put("batch_size", recipe.batch()).put("epochs", recipe.epochs())
                    .put("epoch_s", epochS)
                    .put("median_epoch_s", JsonLine.round(median, 3))
                    .put("samples_per_s", JsonLine.round(n / median, 1))
                    .put("test_accuracy", JsonLine.round(accuracy, 4))
                    .put("final_train_loss", JsonLine.round(finalLoss, 4));
            return new Outcome(model, result);
        }
    }

    /** The share of {@code test} that {@code model} classifies right, in evaluation mode, one scope per batch. */
    static double accuracy(Model model, MnistData.Split test, long[] sampleShape, int batch) {
        int n = test.size();
        int sample = (int) product(sampleShape);
        NDManager base = model.getNDManager();
        ParameterStore parameters = new ParameterStore(base, false);
        int correct = 0;
        for (int i = 0; i < n; i += batch) {
            int b = Math.min(batch, n - i);
            try (NDManager scope = base.newSubManager()) {
                NDArray x = scope.create(FloatBuffer.wrap(test.images(), i * sample, b * sample), shape(b, sampleShape));
                long[] predicted = model.getBlock().forward(parameters, new NDList(x), false).singletonOrThrow()
                        .argMax(1).toLongArray();
                for (int j = 0; j < b; j++) if (predicted[j] == test.labels()[i + j]) correct++;
            }
        }
        return (double) correct / n;
    }

    static Shape shape(long batch, long[] sampleShape) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = batch;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return new Shape(dims);
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }

    /** A Fisher-Yates permutation of 0..n-1: the order when there is no start file (not torch.randperm's). */
    private static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
