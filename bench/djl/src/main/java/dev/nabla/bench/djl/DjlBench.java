package dev.nabla.bench.djl;

import ai.djl.engine.Engine;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DJL side of the Nabla benchmark (DJL 0.36 on its PyTorch engine, libtorch 2.7.1 for the CPU): the workloads of
 * {@code torch_bench.py}, the same method, one JSON line on stdout per run ({@code "framework": "djl"}).
 *
 * <pre>
 *   java -cp ... dev.nabla.bench.djl.DjlBench [--threads N] [--seed N] [--start FILE] [--model-cache DIR] WORKLOAD
 * </pre>
 *
 * One workload per JVM, so that its peak RSS is its own ({@code bench/run --djl} starts one per workload). Threads go to
 * libtorch through {@code ai.djl.pytorch.num_threads} and {@code num_interop_threads}, set here before the engine
 * loads. Notes go to stderr.
 */
public final class DjlBench {

    /** The workloads this side implements; the others of torch_bench.py are reported as missing by bench/run. */
    static final List<String> WORKLOADS = List.of("gemm", "mlp", "mlp-b32", "cnn", "resnet", "mlp-infer", "lstm",
            "vit");
    static final List<String> STARTED = List.of("mlp", "mlp-b32", "cnn", "resnet", "lstm", "vit");

    private DjlBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        long seed = 42;
        Path start = null;
        Path modelCache = null;
        String workload = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--start" -> start = Path.of(value(args, ++i, a));
                case "--model-cache" -> modelCache = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("-") || workload != null) usage("unexpected argument " + a);
                    workload = a;
                }
            }
        }
        if (workload == null || !WORKLOADS.contains(workload)) {
            usage("a workload is needed, one of " + String.join(" ", WORKLOADS) + (workload == null ? "" : "; got " + workload));
        }
        if (threads < 1) usage("--threads needs a positive number");
        if (start != null && !STARTED.contains(workload)) usage("--start goes with one of " + STARTED);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        Path root = Path.of(System.getProperty("nabla.bench.root", ".")).toAbsolutePath().normalize();
        if (modelCache == null) modelCache = root.resolve("bench/target/djl-mlp");
        Engine engine = Engine.getEngine("PyTorch");
        System.err.println("djl_bench: DJL " + Engine.getDjlVersion() + ", " + engine.getEngineName() + " "
                + engine.getVersion() + ", " + threads + " threads");

        JsonLine result = switch (workload) {
            case "gemm" -> GemmRun.run(threads, seed);
            case "mlp-infer" -> {
                if (!InferRun.cached(modelCache)) {
                    System.err.println("djl_bench: no trained mlp at " + modelCache + ": training one (the mlp workload)");
                    trainInChild(threads, seed, modelCache);
                    if (!InferRun.cached(modelCache)) {
                        throw new IllegalStateException("training the mlp did not leave a model at " + modelCache);
                    }
                }
                yield InferRun.run(threads, MnistData.load(root, "t10k"), modelCache);
            }
            default -> train(workload, threads, seed, start == null ? null : StartFile.read(start), root, modelCache);
        };
        result.put("engine", engine.getEngineName() + " " + engine.getVersion());
        result.put("peak_rss_mb", peakRssMb());
        System.out.println(result);
        System.out.flush();
    }

    private static JsonLine train(String workload, int threads, long seed, StartFile start, Path root, Path modelCache)
            throws Exception {
        StartNames names = new StartNames();
        Training.Recipe recipe = switch (workload) {
            case "mlp" -> new Training.Recipe("mlp", Networks::mlp, DjlBench::sgd, new long[]{784}, 128, 10, 1000);
            case "mlp-b32" -> new Training.Recipe("mlp-b32", Networks::mlp, DjlBench::sgd, new long[]{784}, 32, 3, 1000);
            case "cnn" -> new Training.Recipe("cnn", Networks::cnn, DjlBench::adam, new long[]{1, 28, 28}, 128, 3, 1000);
            // the test set at batch 250 as on the other sides (Nabla's ResNetWorkload.EVAL_BATCH_SIZE)
            case "resnet" -> new Training.Recipe("resnet", () -> Networks.resnet(names), DjlBench::adam,
                    new long[]{1, 28, 28}, 128, 1, 250);
            case "lstm" -> new Training.Recipe("lstm", Networks::lstm, DjlBench::adam, new long[]{28, 28}, 128, 2, 1000);
            case "vit" -> new Training.Recipe("vit", () -> Networks.vit(names), DjlBench::adamW, new long[]{16, 49}, 128, 2,
                    1000);
            default -> throw new IllegalArgumentException(workload);
        };
        StartMapping mapping = switch (workload) {
            case "lstm" -> StartMapping.byName(Networks.LSTM_START, Networks.LSTM_TRANSPOSED);
            case "resnet", "vit" -> StartMapping.byNames(names);
            default -> StartMapping.inOrder();
        };
        MnistData.Split train = MnistData.load(root, "train");
        MnistData.Split test = MnistData.load(root, "t10k");
        if (workload.equals("vit")) {
            train = Networks.patches(train);
            test = Networks.patches(test);
        }
        Training.Outcome outcome = Training.run(recipe, threads, seed, start, train, test, mapping);
        if (workload.equals("mlp")) InferRun.save(outcome.model(), modelCache);
        return outcome.result();
    }

    /** torch.optim.SGD(lr=0.05, momentum=0.9). */
    static Optimizer sgd() {
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build();
    }

    /** torch.optim.Adam(lr=1e-3): betas 0.9 and 0.999, epsilon 1e-8. */
    static Optimizer adam() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f).optBeta2(0.999f)
                .optEpsilon(1e-8f).build();
    }

    /**
     * torch.optim.AdamW(lr=1e-3, weight_decay=0.01): the decay decoupled from the gradient (w -= lr * wd * w before the
     * Adam step), on every parameter as model.parameters() gives them to PyTorch.
     */
    static Optimizer adamW() {
        return Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f).optBeta2(0.999f)
                .optEpsilon(1e-8f).optWeightDecays(0.01f).build();
    }

    /** Runs {@code DjlBench --threads N mlp} in a new JVM with this one's options, its stdout discarded. */
    private static void trainInChild(int threads, long seed, Path modelCache) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DjlBench.class.getName(),
                "--threads", Integer.toString(threads), "--seed", Long.toString(seed),
                "--model-cache", modelCache.toString(), "mlp"));
        Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status = child.waitFor();
        if (status != 0) throw new IllegalStateException("training the mlp in a child JVM failed (exit status " + status + ")");
    }

    /** The process's peak resident set size ({@code VmHWM}) in MB, or NaN where /proc is not there. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return JsonLine.round(Long.parseLong(kb) / 1024.0, 1);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no figure rather than a failed run
        }
        return Double.NaN;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) usage(option + " needs a value");
        return args[i];
    }

    private static void usage(String message) {
        System.err.println("djl_bench: " + message);
        System.err.println("usage: DjlBench [--threads N] [--seed N] [--start FILE] [--model-cache DIR] WORKLOAD");
        System.exit(2);
    }

}
