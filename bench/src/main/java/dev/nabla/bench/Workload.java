package dev.nabla.bench;

import java.util.List;

/**
 * One benchmark workload. Each runs in its own JVM (so its peak RSS is its own) and reports JSON lines, one object per
 * line, that {@code bench/run} prints on stdout and {@link Compare} sets against PyTorch's.
 *
 * <p>Every line carries {@code "workload"}, {@code "framework": "nabla"} and {@code "threads"}; a throughput workload
 * adds its figures ({@code "gflops"}, {@code "samples_per_s"}), a training one also {@code "epoch_s"},
 * {@code "median_epoch_s"}, {@code "test_accuracy"} and {@code "final_train_loss"}, matching {@code torch_bench.py};
 * a network's line also {@code "flops_per_sample"} ({@link FlopCount}), the achieved {@code "gflops"} and
 * {@code "fraction_of_peak"} with the peak assumed ({@link Peak#addTo}); and {@code "peak_rss_mb"} (see
 * {@link PeakRss#addTo}).
 *
 * <p>To add one: implement this interface and register it in {@link Bench#WORKLOADS}.
 */
public interface Workload {

    /** The name on the command line, e.g. {@code "gemm"}. */
    String name();

    /**
     * Runs the workload with {@code threads} threads (already applied to Nabla's pool and, through
     * {@code OMP_NUM_THREADS}, to the native kernels) and returns its results, each a one-line JSON object.
     */
    List<String> run(int threads) throws Exception;

    /** The start of every result line: workload, framework and threads. */
    default ResultLine result(int threads) {
        return new ResultLine().put("workload", name()).put("framework", "nabla").put("threads", threads);
    }
}
