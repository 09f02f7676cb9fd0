package dev.nabla.ops;

import dev.nabla.kernel.Kernels;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Forward + backward timings of single ops at the benchmark CNN's sizes (not a test: run by hand).
 *
 * <pre>
 * source scripts/jdk.sh; mvn -B -q -ntp -o -pl nabla-core test-compile
 * mvn -B -q -ntp -o -pl nabla-core dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=20000 $JAVA -cp nabla-core/target/classes:nabla-core/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.nabla.ops.OpsMicroBench [CASE...]     # add -Dnabla.kernels=java for the pure-Java kernels
 * </pre>
 *
 * Each case runs a few warm-up rounds, then prints the median and the fastest of the timed rounds in ms (wall clock)
 * and the process's CPU time per round (all threads, oneDNN's too, averaged over the rounds): on a machine shared
 * with other work the CPU time is the steadier figure.
 */
public final class OpsMicroBench {

    private static final int WARMUP = 5;
    private static final int ROUNDS = 40;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private OpsMicroBench() {
    }

    public static void main(String[] args) {
        Map<String, Supplier<Runnable>> cases = new LinkedHashMap<>();
        cases.put("conv1", () -> conv(128, 1, 28, 28, 32));
        cases.put("conv2", () -> conv(128, 32, 13, 13, 64));
        cases.put("fused1", () -> fused(128, 1, 28, 28, 32));
        cases.put("fused2", () -> fused(128, 32, 13, 13, 64));
        Extra.add(cases);
        System.out.println("kernels: " + Kernels.gemm().name() + ", threads: " + Parallel.threads());
        for (String name : args.length == 0 ? cases.keySet().toArray(new String[0]) : args) {
            Supplier<Runnable> c = cases.get(name);
            if (c == null) throw new IllegalArgumentException("unknown case " + name + "; cases: " + cases.keySet());
            Runnable step = c.get();
            for (int i = 0; i < WARMUP; i++) step.run();
            double[] ms = new double[ROUNDS];
            long c0 = OS.getProcessCpuTime();
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                step.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            // the process's CPU time ticks in 10 ms steps here: only the mean over all rounds means something
            double cpu = (OS.getProcessCpuTime() - c0) / 1e6 / ROUNDS;
            Arrays.sort(ms);
            System.out.printf("%-14s wall median %8.2f ms  min %8.2f ms   cpu mean %8.2f ms%n", name,
                    ms[ROUNDS / 2], ms[0], cpu);
        }
    }

    static Tensor random(long seed, int... shape) {
        return Tensor.uniform(new SplittableRandom(seed), -1f, 1f, shape);
    }

    /** A 3x3, stride-1, unpadded ReLU convolution, forward and backward (input gradient too). */
    private static Runnable conv(int n, int c, int h, int w, int f) {
        Tensor x = random(1, n, c, h, w).requiresGrad(true);
        Tensor weight = random(2, f, c, 3, 3).requiresGrad(true);
        Tensor bias = random(3, f).requiresGrad(true);
        Tensor g = random(4, n, f, h - 2, w - 2);
        int[] one = {1, 1};
        int[] zero = {0, 0};
        return () -> {
            Tensor y = Conv2d.apply(x, weight, bias, one, zero, one, true);
            y.backward(g);
        };
    }

    /** The same convolution fused with ReLU and 2x2 max pooling (native kernels only). */
    private static Runnable fused(int n, int c, int h, int w, int f) {
        Tensor x = random(1, n, c, h, w).requiresGrad(true);
        Tensor weight = random(2, f, c, 3, 3).requiresGrad(true);
        Tensor bias = random(3, f).requiresGrad(true);
        Tensor g = random(4, n, f, (h - 2) / 2, (w - 2) / 2);
        int[] one = {1, 1};
        int[] zero = {0, 0};
        int[] two = {2, 2};
        return () -> {
            Tensor y = Conv2dReluMaxPool.apply(x, weight, bias, one, zero, two, two);
            if (y == null) throw new IllegalStateException("the fused block does not run here");
            y.backward(g);
        };
    }

    /** Cases added with the ops they time. */
    static final class Extra {
        static void add(Map<String, Supplier<Runnable>> cases) {
            cases.put("bn-composed", () -> batchNorm(false));
            cases.put("bn-fused", () -> batchNorm(true));
            cases.put("dw-conv", Extra::depthwise);
        }

        /**
         * Training-mode batch normalisation of [128, 32, 28, 28], forward and backward (input, gamma, beta): as one op,
         * or composed as nn.BatchNorm did it (mean, sub, square, mean, add, sqrt, div, mul, add; running statistics
         * updated from the batch's).
         */
        private static Runnable batchNorm(boolean fused) {
            Tensor x = random(1, 128, 32, 28, 28).requiresGrad(true);
            Tensor gamma = Tensor.ones(32).requiresGrad(true);
            Tensor beta = Tensor.zeros(32).requiresGrad(true);
            Tensor runningMean = Tensor.zeros(32);
            Tensor runningVar = Tensor.ones(32);
            Tensor g = random(4, 128, 32, 28, 28);
            int[] axes = {0, 2, 3};
            int[] stat = {1, 32, 1, 1};
            if (fused) {
                return () -> x.batchNorm(gamma, beta, runningMean, runningVar, 0.1f, 1e-5f, true).backward(g);
            }
            return () -> {
                Tensor mean = x.mean(axes, true);
                Tensor var = x.sub(mean).square().mean(axes, true);
                try (var ignored = dev.nabla.autograd.GradMode.noGrad()) {
                    float[] m = mean.toArray();
                    float[] v = var.toArray();
                    float[] rm = runningMean.data();
                    float[] rv = runningVar.data();
                    float unbias = (float) (128 * 28 * 28) / (128 * 28 * 28 - 1);
                    for (int i = 0; i < 32; i++) {
                        rm[i] = 0.9f * rm[i] + 0.1f * m[i];
                        rv[i] = 0.9f * rv[i] + 0.1f * v[i] * unbias;
                    }
                }
                Tensor y = x.sub(mean).div(var.add(1e-5f).sqrt()).mul(gamma.reshape(stat)).add(beta.reshape(stat));
                y.backward(g);
            };
        }

        /** A depthwise 3x3 'same' convolution of [128, 32, 28, 28], forward and backward. */
        private static Runnable depthwise() {
            Tensor x = random(1, 128, 32, 28, 28).requiresGrad(true);
            Tensor weight = random(2, 32, 1, 3, 3).requiresGrad(true);
            Tensor bias = random(3, 32).requiresGrad(true);
            Tensor g = random(4, 128, 32, 28, 28);
            ConvSpec spec = ConvSpec.same(null, null, 32);
            return () -> Conv2d.apply(x, weight, bias, spec).backward(g);
        }
    }
}
