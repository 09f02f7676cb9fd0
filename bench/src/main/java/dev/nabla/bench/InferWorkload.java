package dev.nabla.bench;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mlp-infer}: {@code Model.predict} over the 10 000 test images at batch 1000 with the trained {@code mlp}
 * model, timed like gemm ({@link Timing}); samples/s is the median over the timed passes. The model comes from
 * {@code bench/target/nabla-mlp.nabla}, which the {@code mlp} workload writes; without one, the {@code mlp} workload is
 * run first in a child JVM, so that this process's peak RSS is inference only (as {@code torch_bench.py} does).
 */
public final class InferWorkload implements Workload {

    static final int BATCH = 1000;

    @Override
    public String name() {
        return "mlp-infer";
    }

    @Override
    public List<String> run(int threads) throws Exception {
        Path file = TrainingWorkload.mlpModelFile();
        Model model = TrainingWorkload.loadMlp(file);
        if (model == null) {
            System.err.println("bench: no trained mlp at " + file + ": training one (the mlp workload)");
            trainInChild(threads);
            model = TrainingWorkload.loadMlp(file);
            if (model == null) throw new IllegalStateException("training the mlp did not leave a model at " + file);
        }
        FashionMnist.Split test = FashionMnist.test();
        Tensor x = test.flat();
        int n = x.shape(0);
        Model m = model;
        Timing.Result timed = Timing.measure(() -> m.predict(x, BATCH).data()[0]);

        float[] p = model.predict(x, BATCH).argmax(-1, false).toArray();
        float[] labels = test.labels().toArray();
        int correct = 0;
        for (int i = 0; i < n; i++) if ((int) p[i] == (int) labels[i]) correct++;

        List<Double> passS = new ArrayList<>();
        for (double s : timed.secondsPerCall()) passS.add(Timing.round(s, 5));
        ResultLine result = result(threads).put("batch_size", BATCH)
                .put("pass_s", passS)
                .put("samples_per_s", Timing.round(timed.medianRate(n), 1))
                .put("test_accuracy", Timing.round((double) correct / n, 4));
        return List.of(PeakRss.addTo(result).toString());
    }

    /** Runs {@code Bench --threads N mlp} in a new JVM with this one's options, its stdout discarded. */
    private static void trainInChild(int threads) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        cmd.add("--threads");
        cmd.add(Integer.toString(threads));
        cmd.add("mlp");
        Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status = child.waitFor();
        if (status != 0) throw new IllegalStateException("training the mlp in a child JVM failed (exit status " + status + ")");
    }
}
