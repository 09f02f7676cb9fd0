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

        // the selected kernel through the tensor API, as a layer calls it
        Map<String, Double> gflops = new LinkedHashMap<>();
        for (int[] shape : SHAPES) {
            Tensor[] ab = operands(shape);
            Tensor a = ab[0];
            Tensor b = ab[1];
            Timing.Result timed = Timing.measure(() -> a.matmul(b).data()[0]);
            gflops.put(key(shape), gflops(shape, timed));
        }
        Json.Obj first = result(threads).put("kernel", selected.name()).put("gflops", gflops);
        if (Kernels.nativeFailure() != null) first.put("native_failure", Kernels.nativeFailure());
        lines.add(PeakRss.addTo(first).toString());

        // the pure-Java kernel on the same operands, unless it is the one just timed
        Gemm javaGemm = Kernels.javaGemm();
        if (javaGemm != selected) {
            Map<String, Double> javaGflops = new LinkedHashMap<>();
            for (int[] shape : SHAPES) {
                int m = shape[0];
                int k = shape[1];
                int n = shape[2];
                Tensor[] ab = operands(shape);
                float[] a = ab[0].data();
                float[] b = ab[1].data();
                Timing.Result timed = Timing.measure(() -> {
                    float[] c = new float[m * n];
                    javaGemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    return c[0];
                });
                javaGflops.put(key(shape), gflops(shape, timed));
            }
            lines.add(PeakRss.addTo(result(threads).put("kernel", javaGemm.name()).put("gflops", javaGflops))
                    .toString());
        }
        return lines;
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
