package dev.nabla.serve;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP prediction server for Nabla models, on the JDK's {@code com.sun.net.httpserver} (module jdk.httpserver),
 * each request on a virtual thread: the Open Inference Protocol (KServe v2) and a TensorFlow-Serving-style
 * {@code :predict}, see {@link V2Protocol} and {@link V1Protocol}; {@code GET /metrics} in the Prometheus text
 * format. Concurrent requests to a model are predicted in batches ({@link Batcher}).
 *
 * <pre>{@code
 * try (PredictionServer server = PredictionServer.start(List.of(model), new PredictionServer.Options())) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class PredictionServer implements AutoCloseable {

    /**
     * Settings: where to listen, the largest request body, and batching.
     *
     * @param host         the address to listen on
     * @param port         the port; 0 picks a free one
     * @param maxBodyBytes larger request bodies are refused with 413
     * @param maxBatch     the most samples in one predict call
     * @param maxWaitMillis how long a batch waits for requests still being read
     */
    public record Options(String host, int port, long maxBodyBytes, int maxBatch, long maxWaitMillis) {
        /** 127.0.0.1, a free port, 16 MiB bodies, batches of up to 64 samples waiting at most 2 ms. */
        public Options() {
            this("127.0.0.1", 0, 16L << 20, 64, 2);
        }
    }

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer http;
    private final ExecutorService executor;
    private final Map<String, ModelSlot> models;

    private PredictionServer(HttpServer http, ExecutorService executor, Map<String, ModelSlot> models) {
        this.http = http;
        this.executor = executor;
        this.models = models;
    }

    /** Starts serving {@code models} (names must differ). */
    public static PredictionServer start(List<ServedModel> served, Options options) throws IOException {
        Metrics metrics = new Metrics();
        Map<String, ModelSlot> models = new LinkedHashMap<>();
        for (ServedModel m : served) {
            if (models.containsKey(m.name())) throw new IllegalArgumentException("two models named '" + m.name() + "'");
            Batcher batcher = new Batcher(m.name(), m.model()::predict, options.maxBatch(), options.maxWaitMillis(),
                    size -> metrics.batch(m.name(), size));
            models.put(m.name(), new ModelSlot(m, new ModelInputs(m), batcher));
        }
        // without TCP_NODELAY a response's body waits for the client to acknowledge its headers (Nagle's algorithm
        // against delayed ACKs): measured, concurrency 8 gains about a third. The JDK's server reads the property once,
        // when its first server in this JVM starts, and a value the user set wins.
        if (System.getProperty(NO_DELAY) == null) System.setProperty(NO_DELAY, "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", new Router(Map.copyOf(models), metrics, options.maxBodyBytes()));
        http.start();
        return new PredictionServer(http, executor, models);
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://HOST:PORT}. */
    public String address() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (up to {@code graceSeconds}), then stops the
     * batchers.
     */
    public void stop(int graceSeconds) throws InterruptedException {
        http.stop(graceSeconds);
        for (ModelSlot s : models.values()) s.batcher().close();
        executor.shutdown();
        executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    }

    /** {@link #stop} with 30 seconds' grace. */
    @Override
    public void close() throws InterruptedException {
        stop(30);
    }
}
