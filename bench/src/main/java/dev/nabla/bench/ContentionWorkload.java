package dev.nabla.bench;

import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code contention}: the {@code cnn} recipe's epochs on a quiet machine and with another process keeping one core
 * busy (a shell's endless loop, as a second user's job would), at the threads the benchmark was given. Reports both
 * medians and their ratio ({@code busy_over_quiet}; issue 14's goal: at most 2.5).
 *
 * <p>Each epoch is the first {@value #SAMPLES} training images (so a slow busy epoch stays bounded): one to warm up,
 * {@value #TIMED} timed quiet, then {@value #TIMED} timed busy.
 */
public final class ContentionWorkload implements Workload {

    private static final int SAMPLES = 20_000;
    private static final int TIMED = 3;

    @Override
    public String name() {
        return "contention";
    }

    @Override
    public List<String> run(int threads) throws Exception {
        FashionMnist.Split train = FashionMnist.train();
        Tensor x = train.images().narrow(0, 0, SAMPLES).contiguous();
        Tensor y = train.labels().narrow(0, 0, SAMPLES).contiguous();
        var net = TrainingWorkload.cnnNetwork().seed(TrainingWorkload.SEED);
        Model model = new Model(net);
        model.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        epoch(model, x, y, "warm-up");
        List<Double> quiet = new ArrayList<>();
        for (int i = 0; i < TIMED; i++) quiet.add(epoch(model, x, y, "quiet"));
        List<Double> busy = new ArrayList<>();
        Process hog = new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true).start();
        Thread stopHog = new Thread(hog::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(stopHog);
        try {
            for (int i = 0; i < TIMED; i++) busy.add(epoch(model, x, y, "one core busy"));
        } finally {
            hog.destroyForcibly();
            hog.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopHog);
        }
        double quietMedian = median(quiet);
        double busyMedian = median(busy);
        ResultLine result = result(threads).put("samples", SAMPLES)
                .put("quiet_epoch_s", rounded(quiet)).put("busy_epoch_s", rounded(busy))
                .put("median_quiet_s", Timing.round(quietMedian, 3)).put("median_busy_s", Timing.round(busyMedian, 3))
                .put("busy_over_quiet", Timing.round(busyMedian / quietMedian, 2));
        return List.of(PeakRss.addTo(result).toString());
    }

    private static double epoch(Model model, Tensor x, Tensor y, String what) {
        long start = System.nanoTime();
        model.fit(x, y, new FitOptions().epochs(1).batchSize(128).seed(TrainingWorkload.SEED));
        double s = (System.nanoTime() - start) * 1e-9;
        System.err.printf(Locale.ROOT, "bench: contention %s epoch: %.2f s%n", what, s);
        return s;
    }

    private static double median(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        return Timing.median(a);
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> Timing.round(v, 3)).toList();
    }
}
