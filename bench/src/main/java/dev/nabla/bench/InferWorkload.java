package dev.nabla.bench;

import dev.nabla.kernel.Precision;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mlp-infer}: {@code Model.predict} over the 10 000 test images at batch 1000 with the trained {@code mlp}
 * model, timed like gemm ({@link Timing}); samples/s is the median over the timed passes. The model comes from
 * {@code bench/target/nabla-mlp.nabla}, which the {@code mlp} workload writes; without one, the {@code mlp} workload is
 * run first in a child JVM, so that this process's peak RSS is inference only (as {@code torch_bench.py} does).
 *
 * <p>In bf16 ({@link BenchPrecision}) it times float32 too, in the same process and alternating (float32, bf16,
 * float32, bf16), so that a busy machine's noise falls on both alike, and adds {@code fp32_samples_per_s},
 * {@code fp32_test_accuracy}, {@code bf16_speedup} and {@code accuracy_change_points} (bf16 minus float32, in points).
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
        Precision precision = BenchPrecision.effective();
        List<Double> passS = new ArrayList<>();
        List<Double> fp32PassS = new ArrayList<>();
        for (int round = 0; round < (precision == Precision.FP32 ? 1 : 2); round++) {
            if (precision != Precision.FP32) fp32PassS.addAll(timed(m, x, Precision.FP32));
            passS.addAll(timed(m, x, precision));
        }
        float[] labels = test.labels().toArray();
        double accuracy = accuracy(model, x, labels, precision);
        ResultLine result = result(threads).put("batch_size", BATCH)
                .put("pass_s", passS)
                .put("samples_per_s", Timing.round(n / median(passS), 1))
                .put("test_accuracy", Timing.round(accuracy, 4))
                .put("precision", precision.cliName());
        long flopsPerSample = FlopCount.inferenceFlops(model.network(), Arrays.copyOfRange(x.shape(), 1, x.rank()));
        Peak.addTo(result, flopsPerSample, n / median(passS), threads);
        if (precision != Precision.FP32) {
            double fp32Accuracy = accuracy(model, x, labels, Precision.FP32);
            result.put("fp32_samples_per_s", Timing.round(n / median(fp32PassS), 1))
                    .put("fp32_test_accuracy", Timing.round(fp32Accuracy, 4))
                    .put("bf16_speedup", Timing.round(median(fp32PassS) / median(passS), 3))
                    .put("accuracy_change_points", Timing.round(100 * (accuracy - fp32Accuracy), 2));
        }
        return List.of(PeakRss.addTo(result).toString());
    }

    /** Seconds per pass over {@code x} in {@code precision}, rounded for the result line. */
    private static List<Double> timed(Model m, Tensor x, Precision precision) {
        try (var scope = precision.use()) {
            Timing.Result timed = Timing.measure(() -> m.predict(x, BATCH).data()[0]);
            List<Double> out = new ArrayList<>();
            for (double s : timed.secondsPerCall()) out.add(Timing.round(s, 5));
            return out;
        }
    }

    private static double median(List<Double> values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i);
        return Timing.median(v);
    }

    private static double accuracy(Model model, Tensor x, float[] labels, Precision precision) {
        try (var scope = precision.use()) {
            float[] p = model.predict(x, BATCH).argmax(-1, false).toArray();
            int correct = 0;
            for (int i = 0; i < labels.length; i++) if ((int) p[i] == (int) labels[i]) correct++;
            return (double) correct / labels.length;
        }
    }

    /** Runs {@code Bench --threads N mlp} in a new JVM with this one's options, its stdout discarded. */
    private static void trainInChild(int threads) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // the mlp this times is trained in float32, whatever this run's precision
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-D" + BenchPrecision.PROPERTY + "=")) cmd.add(arg);
        }
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
