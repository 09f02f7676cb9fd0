import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.*;
import dev.nabla.optim.*;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.*;

/**
 * Where a training step's time and allocation go (issue 14), run by {@code bench/step-profile}: the bench's
 * {@code mlp-b32}, {@code mlp} or {@code vit} network on random data of the right shape, steps written out with the
 * public API as {@code Model.fit} takes them (the batch gathered, forward in a {@link StepArena} scope, loss, backward,
 * optimizer step), each phase timed by the training thread's CPU time and allocated bytes
 * ({@code com.sun.management.ThreadMXBean}); medians over the steps after warm-up; then the CPU time of every thread
 * of the process per step by name ({@code /proc/self/task}: oneDNN's OpenMP threads are named {@code java}, like
 * the training thread). With {@code fit} as the fourth argument, {@code Model.fit} itself, per epoch.
 */
public class StepProfile {
    public static void main(String[] a) throws Exception {
        String w = a[0];
        int warm = Integer.parseInt(a[1]), steps = Integer.parseInt(a[2]);
        boolean vit = w.equals("vit");
        int batch = w.equals("mlp-b32") ? 32 : 128;
        Sequential net;
        int[] sample;
        if (vit) {
            net = new Sequential(new Dense(64).named("embed"), new PositionEmbedding(16).named("position"),
                new TransformerEncoder(new TransformerEncoder.Config(4, 128, 0f, Activation.GELU, true, 1e-5f)).named("block1"),
                new TransformerEncoder(new TransformerEncoder.Config(4, 128, 0f, Activation.GELU, true, 1e-5f)).named("block2"),
                new GlobalAveragePool1D().named("pool"), new LayerNorm().named("norm"), new Dense(10).named("head"));
            sample = new int[]{16, 49};
        } else {
            net = new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU), new Dense(10));
            sample = new int[]{784};
        }
        net.seed(42).build(sample);
        int per = 1; for (int d : sample) per *= d;
        int n = Integer.getInteger("n", 4096);
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * per]; float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        int[] xs = new int[sample.length + 1]; xs[0] = n; System.arraycopy(sample, 0, xs, 1, sample.length);
        Tensor X = Tensor.wrap(x, xs), Y = Tensor.wrap(y, n);
        Optimizer opt = vit ? new AdamW(net.parameters(), 1e-3f, 0.01) : new Sgd(net.parameters(), 0.05f, 0.9);
        var loss = new SparseCategoricalCrossEntropy();
        if (a.length > 3 && a[3].equals("fit")) { fit(net, vit, X, Y, batch); return; }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        String[] names = {"gather", "forward", "loss", "backward", "optim", "total"};
        long[][] cpu = new long[names.length][steps], alloc = new long[names.length][steps];
        long[] wall = new long[steps];
        net.train(true);
        int[] idx = new int[batch];
        long procStart = 0, wallStart = 0; Map<String, Long> t0 = null;
        for (int s = 0; s < warm + steps; s++) {
            if (s == warm) { procStart = procCpu(); wallStart = System.nanoTime(); t0 = tasks(); }
            for (int i = 0; i < batch; i++) idx[i] = rng.nextInt(n);
            long[] c = new long[6], b = new long[6];
            long w0 = System.nanoTime();
            c[0] = mx.getCurrentThreadCpuTime(); b[0] = mx.getThreadAllocatedBytes(tid);
            Tensor xb = X.indexSelect(0, idx), yb = Y.indexSelect(0, idx);
            c[1] = mx.getCurrentThreadCpuTime(); b[1] = mx.getThreadAllocatedBytes(tid);
            opt.zeroGrad();
            try (var arena = StepArena.open()) {
                Tensor out = net.forward(xb);
                c[2] = mx.getCurrentThreadCpuTime(); b[2] = mx.getThreadAllocatedBytes(tid);
                Tensor l = loss.compute(out, yb);
                l.item();
                c[3] = mx.getCurrentThreadCpuTime(); b[3] = mx.getThreadAllocatedBytes(tid);
                l.backward();
            }
            c[4] = mx.getCurrentThreadCpuTime(); b[4] = mx.getThreadAllocatedBytes(tid);
            opt.step();
            c[5] = mx.getCurrentThreadCpuTime(); b[5] = mx.getThreadAllocatedBytes(tid);
            long w1 = System.nanoTime();
            if (s >= warm) {
                int k = s - warm;
                for (int p = 0; p < 5; p++) { cpu[p][k] = c[p + 1] - c[p]; alloc[p][k] = b[p + 1] - b[p]; }
                cpu[5][k] = c[5] - c[0]; alloc[5][k] = b[5] - b[0]; wall[k] = w1 - w0;
            }
        }
        Map<String, Long> t1 = tasks();
        double procMs = (procCpu() - procStart) / 1e6 / steps, wallMs = (System.nanoTime() - wallStart) / 1e6 / steps;
        System.out.printf("%s batch %d, %d steps after %d; load %s%n", w, batch, steps, warm,
            new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        for (int p = 0; p < names.length; p++) {
            System.out.printf("  %-9s cpu median %8.3f ms  mean %8.3f ms   alloc median %9d B%n", names[p],
                median(cpu[p]) / 1e6, mean(cpu[p]) / 1e6, (long) median(alloc[p]));
        }
        System.out.printf("  wall median %.3f ms; process cpu/step %.3f ms; wall/step %.3f ms%n", median(wall) / 1e6, procMs, wallMs);
        diff(t0, t1, steps);
    }
    static void fit(Sequential net, boolean vit, Tensor X, Tensor Y, int batch) {
        var model = new dev.nabla.train.Model(net);
        model.compile(vit ? p -> new AdamW(p, 1e-3f, 0.01) : p -> new Sgd(p, 0.05f, 0.9), new SparseCategoricalCrossEntropy(), new dev.nabla.metrics.Accuracy());
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int epochs = 6;
        double[] thr = new double[epochs + 1], proc = new double[epochs + 1], wall = new double[epochs + 1], al = new double[epochs + 1];
        dev.nabla.train.Callback cb = new dev.nabla.train.Callback() {
            long c0, p0, w0, a0; int steps;
            Map<String, Long> t0;
            public void onEpochBegin(int e, dev.nabla.train.TrainingContext c) { steps = 0; t0 = tasks(); c0 = mx.getCurrentThreadCpuTime(); p0 = procCpu(); w0 = System.nanoTime(); a0 = mx.getCurrentThreadAllocatedBytes(); }
            public void onBatchEnd(int e, int b, int bs, double l, dev.nabla.train.TrainingContext c) { steps++; }
            public void onEpochEnd(int e, Map<String, Double> logs, dev.nabla.train.TrainingContext c) {
                thr[e] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / steps; proc[e] = (procCpu() - p0) / 1e6 / steps;
                wall[e] = (System.nanoTime() - w0) / 1e6 / steps; al[e] = (mx.getCurrentThreadAllocatedBytes() - a0) / (double) steps;
                if (e >= 4) { System.out.println("epoch " + e); diff(t0, tasks(), steps); } }
        };
        model.fit(X, Y, new dev.nabla.train.FitOptions().epochs(epochs).batchSize(batch).seed(1).callbacks(cb));
        for (int e = 1; e <= epochs; e++) System.out.printf("fit epoch %d: per step wall %.3f ms, train thread cpu %.3f ms, process cpu %.3f ms, train thread alloc %.0f B%n", e, wall[e], thr[e], proc[e], al[e]);
    }
    /** CPU ticks of every thread of this process by name (from /proc/self/task). */
    static Map<String, Long> tasks() {
        Map<String, Long> m = new TreeMap<>();
        try (var d = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var t : (Iterable<java.nio.file.Path>) d::iterator) {
                try {
                    String st = java.nio.file.Files.readString(t.resolve("stat"));
                    String comm = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    m.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (Exception e) { }
            }
        } catch (Exception e) { }
        return m;
    }
    static void diff(Map<String, Long> a, Map<String, Long> b, int steps) {
        for (var e : b.entrySet()) { long d = e.getValue() - a.getOrDefault(e.getKey(), 0L); if (d > 0) System.out.printf("    thread %-20s %.3f ms/step%n", e.getKey(), d * 10.0 / steps); }
    }
    static long procCpu() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); }
    static double median(long[] v) { long[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
    static double mean(long[] v) { double s = 0; for (long x : v) s += x; return s / v.length; }
}
