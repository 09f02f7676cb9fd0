package dev.nabla.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The fallback {@link Transport}: the JDK's {@code com.sun.net.httpserver} (module jdk.httpserver), each request on a
 * virtual thread: no dependency, but about half as much CPU again per request as {@link NettyTransport}
 * (docs/serving.md); chosen with {@code -Dnabla.serve.transport=jdk}.
 */
final class JdkTransport implements Transport {

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final long DRAIN_BYTES = 8L << 20;

    private final HttpServer http;
    private final ExecutorService executor;

    JdkTransport(String host, int port, Router router, long maxBodyBytes) throws IOException {
        // without TCP_NODELAY a response's body waits for the client to acknowledge its headers (Nagle's algorithm
        // against delayed ACKs): measured, concurrency 8 gains about a third. The JDK's server reads the property once,
        // when its first server in this JVM starts, and a value the user set wins.
        if (System.getProperty(NO_DELAY) == null) System.setProperty(NO_DELAY, "true");
        http = HttpServer.create(new InetSocketAddress(host, port), 1024);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", exchange -> {
            try (exchange) {
                Response r = router.handle(new Exchange(exchange, maxBodyBytes));
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
                r.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(r.status(), r.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (IOException ignored) {
                // the client went away
            }
        });
        http.start();
    }

    @Override
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void stop(int graceSeconds) throws InterruptedException {
        http.stop(graceSeconds);
        executor.shutdown();
        executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    }

    private record Exchange(HttpExchange exchange, long maxBodyBytes) implements Request {

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public byte[] body() throws IOException {
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.strip()) > maxBodyBytes) {
                        drain(exchange.getRequestBody());
                        throw Router.tooLarge(maxBodyBytes);
                    }
                } catch (NumberFormatException e) {
                    throw HttpError.badRequest("Content-Length: not a number: " + length);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (InputStream in = exchange.getRequestBody()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (out.size() + (long) n > maxBodyBytes) {
                        drain(in);
                        throw Router.tooLarge(maxBodyBytes);
                    }
                    out.write(buf, 0, n);
                }
            }
            return out.toByteArray();
        }

        /**
         * Reads on past the limit (up to {@value #DRAIN_BYTES} more) before answering 413, so that a client still
         * sending gets the answer rather than a closed connection; a larger body is cut off.
         */
        private static void drain(InputStream in) {
            byte[] buf = new byte[8192];
            long left = DRAIN_BYTES;
            try {
                int n;
                while (left > 0 && (n = in.read(buf)) > 0) left -= n;
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }
}
