package dev.nabla.bench;

import dev.nabla.kernel.Gemm;
import dev.nabla.kernel.Kernels;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Single-precision matrix multiply at the shapes training hits: {@code 128x784x256} (first dense layer of the MLP at
 * batch 128), {@code 128x256x128} (its second layer) and {@code 1024x1024x1024} (a large square product).
 *
 * <p>The selected kernel is timed through the public tensor API exactly as a layer calls it,
 * {@code a.matmul(b)} (output allocation and operand copies included); the pure-Java kernel is timed on the same
 * arrays through {@link Kernels#javaGemm()}, since the process has already chosen its kernel. One line per kernel.
 */
public final class GemmWorkload implements Workload {

    /** M x K x N. */
    static final int[][] SHAPES = {{128, 784, 256}, {128, 256, 128}, {1024, 1024, 1024}};

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public List<String> run(int threads) {
        Gemm selected = Kernels.gemm();
        List<String> lines = new ArrayList<>();

        // the selected kernel through the tensor API, as a layer calls it. Every shape is warmed up before any is
        // timed: the first shape timed in a fresh JVM otherwise shares the cores with the JIT compiler's threads
        // (measured: 36 to 94 instead of ~200 GFLOP/s at 128x784x256 in some runs)
        for (int[] shape : SHAPES) Timing.warmUp(tensorProduct(shape), Timing.WARMUP_SECONDS);
        Map<String, Double> gflops = new LinkedHashMap<>();
        for (int[] shape : SHAPES) gflops.put(key(shape), gflops(shape, Timing.measure(tensorProduct(shape))));
        ResultLine first = Peak.addTo(result(threads).put("kernel", selected.name()).put("gflops", gflops), gflops, threads);
        if (Kernels.nativeFailure() != null) first.put("native_failure", Kernels.nativeFailure());
        if (Kernels.convolutionFailure() != null) first.put("convolution_failure", Kernels.convolutionFailure());
        lines.add(PeakRss.addTo(first).toString());

        // the pure-Java kernel on the same operands, unless it is the one just timed
        Gemm javaGemm = Kernels.javaGemm();
        if (javaGemm != selected) {
            for (int[] shape : SHAPES) Timing.warmUp(javaProduct(javaGemm, shape), Timing.WARMUP_SECONDS);
            Map<String, Double> javaGflops = new LinkedHashMap<>();
            for (int[] shape : SHAPES) {
                javaGflops.put(key(shape), gflops(shape, Timing.measure(javaProduct(javaGemm, shape))));
            }
            lines.add(PeakRss.addTo(Peak.addTo(result(threads).put("kernel", javaGemm.name()).put("gflops", javaGflops),
                    javaGflops, threads)).toString());
        }
        return lines;
    }

    /** One product of the shape's operands through the tensor API, output allocation and operand copies included. */
    private static Timing.Op tensorProduct(int[] shape) {
        Tensor[] ab = operands(shape);
        return () -> ab[0].matmul(ab[1]).data()[0];
    }

    /** One product of the shape's operands on {@code gemm}, called directly on the arrays. */
    private static Timing.Op javaProduct(Gemm gemm, int[] shape) {
        int m = shape[0];
        int k = shape[1];
        int n = shape[2];
        Tensor[] ab = operands(shape);
        float[] a = ab[0].data();
        float[] b = ab[1].data();
        return () -> {
            float[] c = new float[m * n];
            gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            return c[0];
        };
    }

    /** Contiguous {@code m x k} and {@code k x n} operands, uniform in [0, 1), the same for every kernel. */
    private static Tensor[] operands(int[] shape) {
        SplittableRandom rng = new SplittableRandom(42);
        return new Tensor[]{Tensor.rand(rng, shape[0], shape[1]), Tensor.rand(rng, shape[1], shape[2])};
    }

    private static String key(int[] shape) {
        return shape[0] + "x" + shape[1] + "x" + shape[2];
    }

    private static double gflops(int[] shape, Timing.Result timed) {
        double flops = 2.0 * shape[0] * shape[1] * shape[2];
        return Timing.round(timed.medianRate(flops) * 1e-9, 2);
    }
}
