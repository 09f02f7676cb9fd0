package dev.nabla.bench;

import dev.nabla.cli.ServedModels;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Sequential;
import dev.nabla.serve.PredictionServer;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code serve}: a bounded load test of the prediction server of {@code nabla serve} on loopback. The {@code mlp}
 * network (784-256-128-10, weights drawn from the seed: throughput does not depend on training) is served as a table
 * model of 784 numeric columns; {@code wrk} where it is installed ({@link WrkLoad}), else a fixed number of client
 * threads ({@code java.net.http.HttpClient}, HTTP/1.1) in this JVM, send
 * KServe v2 {@code infer} requests of one row each, back to back, for {@code -Dnabla.bench.serve.seconds} (default 5)
 * at each concurrency 1, 8 and 64 ({@code -Dnabla.bench.serve.concurrency=1,8,64}). One line per concurrency:
 * requests/s, p50 and p99 latency, errors; one for {@code Model.predict} in process at batch 1, the reference the goal
 * is set against (concurrency 8 at least 70% of it); {@code no_http} and {@code no_http_binary}, the same requests
 * answered in process without HTTP (JSON, and KServe's binary tensor data); and {@code http_binary}, the binary
 * request over HTTP at concurrency 8 ({@code -Dnabla.bench.serve.binary=8}; empty for none).
 */
public final class ServeWorkload implements Workload {

    private static final int[] CONCURRENCY = {1, 8, 64};
    private static final int FEATURES = 784;

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public List<String> run(int threads) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("nabla.bench.serve.seconds", "5"));
        Sequential net = TrainingWorkload.mlpNetwork().seed(Long.getLong("nabla.bench.seed", 42));
        net.build(new int[]{FEATURES});
        Model model = new Model(net);
        model.compile(TrainingWorkload.mlpOptimizer(), new SparseCategoricalCrossEntropy());
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 10; i++) classes.add(Integer.toString(i));
        model.classNames(classes);
        List<String> features = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) features.add("pixel" + i);
        Preprocessing p = new Preprocessing("table", Task.CLASSIFICATION, classes, features, "label", null, null, 0, 1, null);

        SplittableRandom rng = new SplittableRandom(7);
        float[] row = new float[FEATURES];
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < FEATURES; i++) {
            row[i] = (float) Math.round(rng.nextDouble() * 255) / 255f;
            data.append(i == 0 ? "" : ",").append(row[i]);
        }
        String body = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, " + FEATURES + "], \"data\": ["
                + data + "]}]}";

        List<String> lines = new ArrayList<>();
        Tensor x = Tensor.wrap(row, 1, FEATURES);
        long cpu0 = cpuNanos();
        double[] measured = inProcessRate(model, x, seconds);
        double inProcess = measured[0];
        double inProcessCpuUs = (cpuNanos() - cpu0) / 1e3 / measured[1];
        lines.add(result(threads).put("mode", "in_process").put("batch_size", 1)
                .put("predictions_per_s", Timing.round(inProcess, 1)).put("cpu_us_per_prediction", Timing.round(inProcessCpuUs, 1)).toString());
        try (PredictionServer server = PredictionServer.start(List.of(ServedModels.of("mlp", model, p)),
                new PredictionServer.Options())) {
            URI uri = URI.create(server.address() + "/v2/models/mlp/infer");
            java.nio.file.Path wrk = WrkLoad.find();
            if (wrk == null) System.err.println("bench: serve: no wrk on the PATH, the client is the JDK's HttpClient in this JVM");
            byte[] bodyBytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long routed0 = cpuNanos();
            double[] routed = routerRate(server, bodyBytes, seconds);
            double routerCpuUs = (cpuNanos() - routed0) / 1e3 / routed[1];
            // the same requests without HTTP: parsing the JSON, the batcher's hand-off, predicting, writing the JSON
            lines.add(result(threads).put("mode", "no_http").put("requests_per_s", Timing.round(routed[0], 1))
                    .put("cpu_us_per_request", Timing.round(routerCpuUs, 1)).toString());
            System.err.printf(Locale.ROOT, "bench: serve without HTTP (PredictionServer.answer, one thread): %.0f requests/s, "
                    + "CPU %.1f us/request (in-process predict %.1f us)%n", routed[0], routerCpuUs, inProcessCpuUs);
            // the same row in KServe's binary tensor data extension: 3,136 bytes of floats after a short JSON header
            byte[] head = ("{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, " + FEATURES
                    + "], \"parameters\": {\"binary_data_size\": " + 4 * FEATURES + "}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer binary = java.nio.ByteBuffer.allocate(head.length + 4 * FEATURES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            binary.put(head);
            for (float v : row) binary.putFloat(v);
            Map<String, String> binaryHeaders = Map.of("Content-Type", "application/octet-stream",
                    "Inference-Header-Content-Length", Integer.toString(head.length));
            long binary0 = cpuNanos();
            double[] routedBinary = routerRate(server, binaryHeaders, binary.array(), seconds);
            lines.add(result(threads).put("mode", "no_http_binary").put("requests_per_s", Timing.round(routedBinary[0], 1))
                    .put("cpu_us_per_request", Timing.round((cpuNanos() - binary0) / 1e3 / routedBinary[1], 1)).toString());
            Map<String, String> jsonHeaders = Map.of("Content-Type", "application/json");
            // warm-up: JIT, connections
            load(uri, bodyBytes, jsonHeaders, 8, Math.min(1, seconds));
            if (wrk != null) WrkLoad.run(wrk, uri, body, 8, Double.parseDouble(System.getProperty("nabla.bench.serve.warmup", "3")));
            for (int c : levels("nabla.bench.serve.concurrency", "1,8,64")) {
                lines.add(level(wrk, uri, bodyBytes, jsonHeaders, c, seconds, inProcess, inProcessCpuUs, threads, "http"));
            }
            for (int c : levels("nabla.bench.serve.binary", "8")) {
                lines.add(level(wrk, uri, binary.array(), binaryHeaders, c, seconds, inProcess, inProcessCpuUs, threads, "http_binary"));
            }
        }
        return lines;
    }

    /** Comma-separated concurrency levels from the property {@code name}; none for an empty value. */
    private static List<Integer> levels(String name, String fallback) {
        List<Integer> out = new ArrayList<>();
        for (String v : System.getProperty(name, fallback).split(",")) {
            if (!v.isBlank()) out.add(Integer.parseInt(v.strip()));
        }
        return out;
    }

    /** One load level: its result line, with the server's CPU per request split into user and kernel time. */
    private String level(java.nio.file.Path wrk, URI uri, byte[] body, Map<String, String> headers, int c, double seconds,
                                double inProcess, double inProcessCpuUs, int threads, String mode) throws Exception {
        long cpuStart = cpuNanos();
        long[] ticks0 = procTicks();
        Level l = wrk != null ? WrkLoad.run(wrk, uri, body, headers, c, seconds) : load(uri, body, headers, c, seconds);
        // wrk reports no errors when nothing answered at all (a server that died): that is a failure
        if (l.requests == 0) throw new IllegalStateException("serve: no request answered at concurrency " + c + " (" + mode + ")");
        ResultLine r = result(threads).put("mode", mode).put("client", wrk != null ? "wrk" : "java").put("concurrency", c)
                .put("requests", l.requests).put("errors", l.errors).put("requests_per_s", Timing.round(l.rate, 1))
                .put("p50_ms", Timing.round(l.p50Ms, 3)).put("p99_ms", Timing.round(l.p99Ms, 3))
                .put("vs_in_process", Timing.round(l.rate / inProcess, 3))
                .put("server_cpu_us_per_request", Timing.round((cpuNanos() - cpuStart) / 1e3 / Math.max(1, l.requests), 1))
                .put("transport", System.getProperty("nabla.serve.transport", "netty"));
        long[] ticks = procTicks();
        if (ticks != null && ticks0 != null) {
            // user and kernel time apart (the kernel's share is the loopback TCP and the syscalls), and with wrk
            // (a child of this JVM, reaped by the time it returns) the client's own CPU per request
            double usPerTick = 1e6 / 100 / Math.max(1, l.requests);
            r.put("server_user_us_per_request", Timing.round((ticks[0] - ticks0[0]) * usPerTick, 1))
                    .put("server_sys_us_per_request", Timing.round((ticks[1] - ticks0[1]) * usPerTick, 1));
            if (wrk != null) r.put("client_cpu_us_per_request", Timing.round((ticks[2] + ticks[3] - ticks0[2] - ticks0[3]) * usPerTick, 1));
        }
        System.err.printf(Locale.ROOT, "bench: serve %s concurrency %d: %.0f requests/s (%.0f%% of in-process %.0f/s), "
                + "p50 %.2f ms, p99 %.2f ms, %d errors; server CPU %.0f us/request (in-process %.0f us/prediction)%n",
                mode, c, l.rate, 100 * l.rate / inProcess, inProcess, l.p50Ms, l.p99Ms, l.errors,
                (cpuNanos() - cpuStart) / 1e3 / Math.max(1, l.requests), inProcessCpuUs);
        return PeakRss.addTo(r).toString();
    }

    /** This JVM's CPU time: with the client in another process (wrk), the server's cost per request. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * This process's user and system time and those of its reaped children, in clock ticks (USER_HZ, 100 on Linux),
     * from {@code /proc/self/stat}; null elsewhere.
     */
    private static long[] procTicks() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Requests per second answered by {@link PredictionServer#answer} on this thread, and how many. */
    private static double[] routerRate(PredictionServer server, byte[] body, double seconds) {
        return routerRate(server, Map.of(), body, seconds);
    }

    private static double[] routerRate(PredictionServer server, Map<String, String> headers, byte[] body, double seconds) {
        for (int i = 0; i < 2000; i++) server.answer("POST", "/v2/models/mlp/infer", headers, body);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            if (server.answer("POST", "/v2/models/mlp/infer", headers, body).status() != 200) throw new IllegalStateException("not 200");
            n++;
        }
        return new double[]{n / ((System.nanoTime() - start) / 1e9), n};
    }

    /** Predictions per second and how many were made. */
    private static double[] inProcessRate(Model model, Tensor x, double seconds) {
        for (int i = 0; i < 200; i++) model.predict(x);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            model.predict(x);
            n++;
        }
        return new double[]{n / ((System.nanoTime() - start) / 1e9), n};
    }

    record Level(long requests, long errors, double rate, double p50Ms, double p99Ms) {
    }

    private static Level load(URI uri, byte[] body, Map<String, String> headers, int concurrency, double seconds) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Thread[] workers = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == mine.length) mine = Arrays.copyOf(mine, 2 * n);
                    mine[n++] = System.nanoTime() - t0;
                }
                latencies[id] = mine;
                counts[id] = n;
            });
            workers[w].start();
        }
        for (Thread t : workers) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.floor(0.50 * total))] / 1e6;
        double p99 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.floor(0.99 * total))] / 1e6;
        client.close();
        return new Level(total, errors.get(), total / elapsed, p50, p99);
    }
}
