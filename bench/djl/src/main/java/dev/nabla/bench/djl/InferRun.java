package dev.nabla.bench.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mlp-infer} on DJL: the {@code mlp} workload's trained model (saved by DJL's {@code mlp} run) predicts the 10 000
 * test images at batch 1000 without gradients, timed as torch_bench.py times it. The test set is one NDArray; each
 * batch is a view of it in its own {@link NDManager} scope, so a pass leaves no native memory behind; the predictions
 * (argmax) come back to Java as PyTorch's come back as tensors.
 */
final class InferRun {

    static final int BATCH = 1000;
    /** Bump when the mlp recipe changes, so a cached model is not reused. */
    static final String MODEL_VERSION = "1";
    static final String MODEL_NAME = "djl-mlp";

    private InferRun() {
    }

    static JsonLine run(int threads, MnistData.Split test, Path cache) throws IOException, MalformedModelException {
        Model model = Model.newInstance(MODEL_NAME);
        model.setBlock(Networks.mlp());
        model.load(cache, MODEL_NAME);
        int n = test.size();
        NDManager base = model.getNDManager();
        NDArray x = base.create(test.images(), Training.shape(n, new long[]{MnistData.PIXELS}));
        ParameterStore parameters = new ParameterStore(base, false);
        long[] predicted = new long[n];
        Runnable pass = () -> {
            for (int i = 0; i < n; i += BATCH) {
                int b = Math.min(BATCH, n - i);
                try (NDManager scope = base.newSubManager()) {
                    NDArray batch = x.get(scope, new NDIndex("{}:{}", i, i + b));
                    long[] p = model.getBlock().forward(parameters, new NDList(batch), false).singletonOrThrow()
                            .argMax(1).toLongArray();
                    System.arraycopy(p, 0, predicted, i, b);
                }
            }
        };
        double[] runs = Timing.measure(pass);
        pass.run();
        int correct = 0;
        for (int i = 0; i < n; i++) if (predicted[i] == test.labels()[i]) correct++;
        double[] rates = new double[runs.length];
        for (int i = 0; i < runs.length; i++) rates[i] = n / runs[i];
        return new JsonLine().put("workload", "mlp-infer").put("framework", "djl").put("threads", threads)
                .put("batch_size", BATCH)
                .put("pass_s", GemmRun.rounded(runs, 5))
                .put("samples_per_s", JsonLine.round(Timing.median(rates), 1))
                .put("test_accuracy", JsonLine.round((double) correct / n, 4));
    }

    /** Whether {@code cache} holds a model saved by this recipe version. */
    static boolean cached(Path cache) throws IOException {
        Path version = cache.resolve(MODEL_NAME + ".version");
        return Files.isRegularFile(version) && Files.readString(version, StandardCharsets.UTF_8).trim().equals(MODEL_VERSION)
                && Files.isRegularFile(cache.resolve(MODEL_NAME + "-0000.params"));
    }

    /** Saves the trained mlp for a later mlp-infer run. */
    static void save(Model model, Path cache) throws IOException {
        Files.createDirectories(cache);
        Files.deleteIfExists(cache.resolve(MODEL_NAME + ".version"));
        model.setProperty("Epoch", "0");  // always -0000.params: DJL would otherwise number a new file per save
        model.save(cache, MODEL_NAME);
        Files.writeString(cache.resolve(MODEL_NAME + ".version"), MODEL_VERSION + "\n", StandardCharsets.UTF_8);
    }
}
