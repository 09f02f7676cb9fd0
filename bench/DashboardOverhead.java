import dev.nabla.dashboard.Dashboard;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.metrics.Accuracy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.*;

import java.io.InputStream;
import java.net.Socket;
import java.net.InetAddress;
import java.nio.file.*;
import java.util.*;

/**
 * The live dashboard's cost to training, in one JVM (run by {@code bench/dashboard-overhead --in-process}): the bench's
 * mlp (784-256-128-10) on Fashion-MNIST, one epoch per fit, each round one fit without and one with a
 * {@link RunRecorder} writing a run folder and feeding a {@link Dashboard} that a socket reads, in ABBA order.
 * Arguments: the Fashion-MNIST folder, the batch size, the rounds[, Nabla's threads]. Prints wall and process CPU time
 * (the CPU time is the steadier number on a shared machine).
 */
public class DashboardOverhead {
    public static void main(String[] a) throws Exception {
        Tensor[] d = load(Path.of(a[0]));
        int batch = Integer.parseInt(a[1]);
        int rounds = Integer.parseInt(a[2]);
        if (a.length > 3) dev.nabla.kernel.Parallel.setThreads(Integer.parseInt(a[3]));
        Path runs = Files.createTempDirectory("ovh");
        List<Double> off = new ArrayList<>(), on = new ArrayList<>(), offCpu = new ArrayList<>(), onCpu = new ArrayList<>();
        try (Dashboard dash = Dashboard.start("127.0.0.1", 0)) {
            Thread reader = new Thread(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), dash.port())) {
                    s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes());
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[65536];
                    while (in.read(buf) >= 0) { }
                } catch (Exception e) { }
            });
            reader.setDaemon(true);
            reader.start();
            fit(d, batch, false, dash, runs); // warm-up both paths
            fit(d, batch, true, dash, runs);
            for (int r = 0; r < rounds; r++) {
                // ABBA: neither side always goes first
                boolean withFirst = r % 2 == 1;
                double[] x = fit(d, batch, withFirst, dash, runs), y = fit(d, batch, !withFirst, dash, runs);
                double[] without = withFirst ? y : x, with = withFirst ? x : y;
                off.add(without[0]); on.add(with[0]); offCpu.add(without[1]); onCpu.add(with[1]);
                System.out.printf("round %d: without %.3f s (cpu %.3f s), with %.3f s (cpu %.3f s)%n", r + 1,
                        without[0], without[1], with[0], with[1]);
            }
            System.out.println("events sent: " + dash.events());
        }
        report("wall", off, on);
        report("cpu ", offCpu, onCpu);
    }

    static void report(String what, List<Double> off, List<Double> on) {
        List<Double> diff = new ArrayList<>();
        for (int i = 0; i < off.size(); i++) diff.add(on.get(i) - off.get(i));
        System.out.printf("%s: median without %.3f s, with %.3f s; paired difference median %+.3f s (%+.1f%%), min %+.3f, max %+.3f%n",
                what, median(off), median(on), median(diff), 100 * median(diff) / median(off),
                Collections.min(diff), Collections.max(diff));
    }

    static List<Double> box(double[] v) { List<Double> l = new ArrayList<>(); for (double x : v) l.add(x); return l; }
    static double median(List<Double> v) { List<Double> s = new ArrayList<>(v); Collections.sort(s); int n = s.size(); return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2; }

    /** One fit: its wall time and the process's CPU time meanwhile, in seconds. */
    static double[] fit(Tensor[] d, int batch, boolean with, Dashboard dash, Path runs) throws Exception {
        Model m = new Model(new Sequential(new Dense(256, Activation.RELU), new Dense(128, Activation.RELU), new Dense(10)).seed(1));
        m.compile(p -> new Adam(p, 1e-3f), new SparseCategoricalCrossEntropy(), new Accuracy());
        FitOptions o = new FitOptions().epochs(1).batchSize(batch).seed(1);
        RunRecorder rec = null;
        if (with) {
            rec = new RunRecorder(dash.run("mlp"), RunFolder.create(runs, "mlp")).settings(Map.of("batch_size", batch));
            o.callbacks(rec);
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        m.fit(d[0], d[1], o);
        double s = (System.nanoTime() - t) / 1e9;
        double c = (os.getProcessCpuTime() - cpu) / 1e9;
        if (rec != null) rec.close();
        return new double[]{s, c};
    }

    static Tensor[] load(Path dir) throws Exception {
        Tensor x = dev.nabla.data.IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        x = x.reshape(x.shape(0), 784);
        return new Tensor[]{x, dev.nabla.data.IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"))};
    }
}
