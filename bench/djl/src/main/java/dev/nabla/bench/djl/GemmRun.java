package dev.nabla.bench.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gemm} on DJL: {@code a.matMul(b)} (libtorch's {@code matmul}) at the shapes of {@code torch_bench.py}, operands
 * uniform in [0, 1); each product is closed right away, so native memory does not pile up in the manager.
 */
final class GemmRun {

    /** M x K x N, as in torch_bench.py's GEMM_SHAPES. */
    static final int[][] SHAPES = {{128, 784, 256}, {128, 256, 128}, {1024, 1024, 1024}};

    private GemmRun() {
    }

    static JsonLine run(int threads, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Map<String, Object> gflops = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] s : SHAPES) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                NDArray a = manager.randomUniform(0, 1, new Shape(m, k));
                NDArray b = manager.randomUniform(0, 1, new Shape(k, n));
                double[] runs = Timing.measure(() -> a.matMul(b).close());
                double[] rates = new double[runs.length];
                for (int i = 0; i < runs.length; i++) rates[i] = 2.0 * m * n * k / runs[i] * 1e-9;
                gflops.put(m + "x" + k + "x" + n, JsonLine.round(Timing.median(rates), 2));
            }
        }
        return new JsonLine().put("workload", "gemm").put("framework", "djl").put("threads", threads).put("gflops", gflops);
    }

    static List<Double> rounded(double[] values, int decimals) {
        List<Double> out = new ArrayList<>();
        for (double v : values) out.add(JsonLine.round(v, decimals));
        return out;
    }
}
