package dev.nabla.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's paths: the page ({@code /}, its script and style), uPlot from its webjar ({@code /uplot/...}, its
 * licence included) and the event stream {@code /events}. Only these fixed files are served: no path reaches the
 * file system. A dashboard on a loopback address answers only requests for a loopback host name (a web page elsewhere
 * cannot read it through DNS rebinding).
 */
final class DashboardHandler implements HttpHandler {

    /** How long a quiet stream waits before a comment line, which also finds connections the browser closed. */
    private static final long KEEPALIVE_MILLIS = 10_000;

    private record Resource(String type, byte[] bytes) {
    }

    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final EventLog log;
    private final boolean loopback;

    DashboardHandler(EventLog log, InetSocketAddress address) {
        this.log = log;
        this.loopback = address.getAddress().isLoopbackAddress();
        String page = "/dev/nabla/dashboard/";
        add("/", "text/html; charset=utf-8", page + "index.html");
        add("/panels.js", "text/javascript; charset=utf-8", page + "panels.js");
        add("/dashboard.js", "text/javascript; charset=utf-8", page + "dashboard.js");
        add("/dashboard.css", "text/css; charset=utf-8", page + "dashboard.css");
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/";
        add("/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8", uplot + "dist/uPlot.iife.min.js");
        add("/uplot/uPlot.min.css", "text/css; charset=utf-8", uplot + "dist/uPlot.min.css");
        add("/uplot/LICENSE", "text/plain; charset=utf-8", uplot + "LICENSE");
    }

    private void add(String path, String type, String resource) {
        try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the jar lacks " + resource);
            resources.put(path, new Resource(type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's version, from its Maven properties: the jar holds its files under that folder. */
    static String uplotVersion() {
        try (InputStream in = DashboardHandler.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) throw new IllegalStateException("the uPlot webjar is not on the class path");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (loopback && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                send(exchange, 403, "text/plain; charset=utf-8", "the dashboard answers only to localhost\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/events")) {
                stream(exchange);
                return;
            }
            Resource r = resources.get(path.equals("/index.html") ? "/" : path);
            if (r == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, r.type(), method.equals("HEAD") ? null : r.bytes());
        }
    }

    /** {@code Host: 127.0.0.1:PORT}, {@code localhost}, {@code [::1]}. */
    private static boolean loopbackHost(String host) {
        if (host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(1, end) : h;
        } else if (h.indexOf(':') >= 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) exchange.getResponseBody().write(body);
    }

    /**
     * Server-Sent Events: every entry of the log from the first, then each new one as it comes; a comment line when
     * quiet. Ends when the browser goes away or the dashboard closes (after sending what is left). Each stream runs
     * on its own thread, reading the log at its own pace.
     */
    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        int next = 0;
        try {
            while (true) {
                List<String> entries = log.await(next, KEEPALIVE_MILLIS);
                if (entries.isEmpty()) {
                    if (log.closed()) break;
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (String e : entries) sb.append("id: ").append(++next).append("\ndata: ").append(e).append("\n\n");
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser closed the page: this stream ends, the others go on
        }
    }
}
