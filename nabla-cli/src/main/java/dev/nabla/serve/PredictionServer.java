package dev.nabla.serve;

import dev.nabla.kernel.Precision;
import dev.nabla.tensor.Tensor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An HTTP prediction server for Nabla models, on Netty ({@link NettyTransport}: small predictions to a quick model on
 * its event loops, the others on virtual threads; the JDK's server with {@code -Dnabla.serve.transport=jdk}, every
 * request on a virtual thread): the Open Inference Protocol (KServe v2) and a TensorFlow-Serving-style
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
     * @param precision    the arithmetic of the predictions ({@code nabla predict --precision}); BF16 where the CPU
     *                     lacks it runs in float32 (with the core's one-line note)
     */
    public record Options(String host, int port, long maxBodyBytes, int maxBatch, long maxWaitMillis,
                          Precision precision) {
        /** 127.0.0.1, a free port, 16 MiB bodies, batches of up to 64 samples waiting at most 2 ms, float32. */
        public Options() {
            this("127.0.0.1", 0, 16L << 20, 64, 2);
        }

        /** These settings in float32. */
        public Options(String host, int port, long maxBodyBytes, int maxBatch, long maxWaitMillis) {
            this(host, port, maxBodyBytes, maxBatch, maxWaitMillis, Precision.FP32);
        }

        public Options {
            java.util.Objects.requireNonNull(precision, "precision");
        }
    }

    /** {@code -Dnabla.serve.transport=jdk} serves on the JDK's server instead of Netty (docs/serving.md). */
    static final String TRANSPORT = "nabla.serve.transport";

    private final Transport http;
    private final Router router;
    private final Map<String, ModelSlot> models;

    private PredictionServer(Transport http, Router router, Map<String, ModelSlot> models) {
        this.http = http;
        this.router = router;
        this.models = models;
    }

    /** Starts serving {@code models} (names must differ). */
    public static PredictionServer start(List<ServedModel> served, Options options) throws IOException {
        Metrics metrics = new Metrics();
        Map<String, ModelSlot> models = new LinkedHashMap<>();
        for (ServedModel m : served) {
            if (models.containsKey(m.name())) throw new IllegalArgumentException("two models named '" + m.name() + "'");
            Precision precision = options.precision();
            // the request thread that leads a batch predicts it: the precision scope is opened around each batch
            UnaryOperator<Tensor> predict = x -> {
                try (var arithmetic = precision.use()) {
                    return m.model().predict(x);
                }
            };
            Batcher batcher = new Batcher(m.name(), predict, options.maxBatch(), options.maxWaitMillis(),
                    size -> metrics.batch(m.name(), size));
            models.put(m.name(), new ModelSlot(m, new ModelInputs(m), batcher));
        }
        Router router = new Router(Map.copyOf(models), metrics);
        String transport = System.getProperty(TRANSPORT, "netty");
        Transport http;
        try {
            http = switch (transport) {
                case "netty" -> new NettyTransport(options.host(), options.port(), router, options.maxBodyBytes());
                case "jdk" -> new JdkTransport(options.host(), options.port(), router, options.maxBodyBytes());
                default -> throw new IllegalArgumentException("-D" + TRANSPORT + ": expected netty or jdk, got '" + transport + "'");
            };
        } catch (IOException | RuntimeException e) {
            for (ModelSlot s : models.values()) {
                try {
                    s.batcher().close();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        return new PredictionServer(http, router, models);
    }

    /**
     * Answers one request in this JVM, without HTTP, exactly as the server would (batched with the requests arriving
     * over HTTP, counted in the metrics): to put the protocol behind another server, and to measure what the HTTP
     * layer costs ({@code bench/run serve}).
     *
     * @param method  {@code GET} or {@code POST}
     * @param rawPath the path, percent-encoded as on the wire, e.g. {@code /v2/models/NAME/infer}
     * @param body    the request body (empty for a GET); the server's body limit does not apply
     */
    public Response answer(String method, String rawPath, byte[] body) {
        return answer(method, rawPath, Map.of(), body);
    }

    /**
     * {@link #answer(String, String, byte[])} with request headers: {@code Inference-Header-Content-Length} makes the
     * body KServe's binary tensor data (the JSON, then the inputs' raw bytes; docs/serving.md).
     *
     * @param headers header names (any case) to values
     */
    public Response answer(String method, String rawPath, Map<String, String> headers, byte[] body) {
        Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return router.handle(new Request() {
            @Override
            public String header(String name) {
                return byName.get(name);
            }

            @Override
            public String method() {
                return method;
            }

            @Override
            public String rawPath() {
                return rawPath;
            }

            @Override
            public byte[] body() {
                return body;
            }
        });
    }

    /** The port it listens on. */
    public int port() {
        return http.address().getPort();
    }

    /** {@code http://HOST:PORT}. */
    public String address() {
        InetSocketAddress a = http.address();
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
    }

    /** {@link #stop} with 30 seconds' grace. */
    @Override
    public void close() throws InterruptedException {
        stop(30);
    }
}
