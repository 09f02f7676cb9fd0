package dev.nabla.bench;

import dev.nabla.kernel.Kernels;
import dev.nabla.kernel.Parallel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Nabla side of the benchmark: {@code Bench [--threads N] [WORKLOAD...]} runs the named workloads (all when none
 * is named) and prints their results as JSON lines on stdout; notes go to stderr. Usually started by
 * {@code bench/run}, which runs one workload per JVM and sets {@code -Dnabla.threads} and {@code OMP_NUM_THREADS}.
 *
 * <p>Exit status: 0 when every workload ran or was skipped as not available yet, 1 when one failed, 2 for a usage
 * error (unknown option or workload).
 */
public final class Bench {

    /** Every workload name, in the order they run; the same list as {@code bench/run} and {@code torch_bench.py}. */
    public static final List<String> NAMES = List.of("gemm", "mlp", "mlp-b32", "cnn", "resnet", "mlp-infer", "lstm", "vit");

    /**
     * Workloads run only when named: {@code serve}, a load test of the prediction server; {@code loader}, the streaming
     * image loader against the training step; {@code contention}, cnn epochs with one core kept busy elsewhere.
     */
    public static final List<String> EXTRA = List.of("serve", "loader", "contention");

    /** The workloads implemented on the Nabla side. */
    static final Map<String, Supplier<Workload>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("gemm", GemmWorkload::new);
        WORKLOADS.put("mlp", TrainingWorkload::mlp);
        WORKLOADS.put("mlp-b32", TrainingWorkload::mlpB32);
        WORKLOADS.put("cnn", TrainingWorkload::cnn);
        WORKLOADS.put("resnet", ResNetWorkload::new);
        WORKLOADS.put("mlp-infer", InferWorkload::new);
        WORKLOADS.put("lstm", LstmWorkload::new);
        WORKLOADS.put("vit", VitWorkload::new);
        WORKLOADS.put("serve", ServeWorkload::new);
        WORKLOADS.put("loader", LoaderWorkload::new);
        WORKLOADS.put("contention", ContentionWorkload::new);
    }

    /** Why a named workload has no Nabla implementation yet. */
    static final Map<String, String> PENDING = Map.of();

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Integer threads = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.err.println(usage());
                return 0;
            } else if (arg.equals("--threads") || arg.startsWith("--threads=")) {
                String value;
                if (arg.startsWith("--threads=")) {
                    value = arg.substring("--threads=".length());
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return usageError("--threads needs a number");
                }
                try {
                    threads = Integer.parseInt(value.trim());
                } catch (NumberFormatException bad) {
                    threads = 0;
                }
                if (threads < 1) return usageError("--threads needs a positive number, got '" + value + "'");
            } else if (arg.startsWith("-")) {
                return usageError("unknown option " + arg);
            } else if (!NAMES.contains(arg) && !EXTRA.contains(arg)) {
                return usageError("unknown workload '" + arg + "' (known: " + String.join(", ", NAMES) + ", " + String.join(", ", EXTRA) + ")");
            } else {
                names.add(arg);
            }
        }
        try {
            Peak.fromEnvironment();
        } catch (IllegalArgumentException bad) {
            return usageError(bad.getMessage());
        }
        if (names.isEmpty()) names.addAll(NAMES);
        if (threads != null) Parallel.setThreads(threads);
        int n = Parallel.threads();

        int status = 0;
        boolean checkedThreads = false;
        for (String name : names) {
            Supplier<Workload> factory = WORKLOADS.get(name);
            if (factory == null) {
                System.err.println("bench: workload " + name + " is not available yet ("
                        + PENDING.getOrDefault(name, "not implemented") + ")");
                continue;
            }
            if (!checkedThreads) {
                warnOnThreadMismatch(n);
                checkedThreads = true;
            }
            try {
                for (String line : factory.get().run(n)) System.out.println(line);
                System.out.flush();
            } catch (Exception | Error failure) {
                System.err.println("bench: workload " + name + " failed: " + failure);
                failure.printStackTrace(System.err);
                status = 1;
            }
        }
        return status;
    }

    /** The native GEMM's OpenMP threads were fixed at load time by OMP_NUM_THREADS: say so when it differs. */
    private static void warnOnThreadMismatch(int threads) {
        if (Kernels.gemm() == Kernels.javaGemm()) return;
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp == null || !omp.trim().equals(Integer.toString(threads))) {
            System.err.println("bench: note: OMP_NUM_THREADS is " + (omp == null ? "unset" : omp)
                    + " but Nabla runs " + threads + " threads; the native GEMM follows OMP_NUM_THREADS"
                    + " (bench/run sets it)");
        }
    }

    private static int usageError(String message) {
        System.err.println("bench: " + message);
        System.err.println(usage());
        return 2;
    }

    static String usage() {
        return "usage: Bench [--threads N] [WORKLOAD...]   workloads: " + String.join(" ", NAMES);
    }
}
