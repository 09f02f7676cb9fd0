package dev.nabla.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nabla.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every path of the server: reads the request (at most {@code maxBodyBytes}, else 413), dispatches it to the v1 or
 * v2 protocol or the metrics, writes the JSON answer or {@code {"error": "..."}} with the status of the
 * {@link HttpError}, and counts it in the {@link Metrics}. An unexpected failure is a 500 naming it; nothing a request
 * sends stops the server.
 */
final class Router implements HttpHandler {

    private final Map<String, ModelSlot> models;
    private final Metrics metrics;
    private final long maxBodyBytes;

    Router(Map<String, ModelSlot> models, Metrics metrics, long maxBodyBytes) {
        this.models = models;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String[] model = {""};
        int status;
        try {
            Object answer = route(exchange, model);
            if (answer instanceof String text) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 200, "application/json", Json.mapper().writeValueAsBytes(answer));
            }
            status = 200;
        } catch (HttpError e) {
            status = e.status();
            sendError(exchange, status, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 503;
            sendError(exchange, status, "the server is stopping");
        } catch (RuntimeException | Error e) {
            status = 500;
            sendError(exchange, status, "internal error: " + e);
        } finally {
            exchange.close();
        }
        metrics.request(model[0], status, (System.nanoTime() - start) / 1e9);
    }

    private Object route(HttpExchange exchange, String[] modelName) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/metrics")) {
            requireMethod(method, "GET", path);
            return metrics.render();
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            requireMethod(method, "GET", path);
            return Map.of(path.endsWith("live") ? "live" : "ready", true);
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            requireMethod(method, "GET", path);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "nabla");
            m.put("extensions", java.util.List.of());
            return m;
        }
        if (path.startsWith("/v2/models/")) {
            String rest = decode(path.substring("/v2/models/".length()));
            String action = "";
            for (String a : new String[]{"/ready", "/infer"}) {
                if (rest.endsWith(a)) {
                    action = a;
                    rest = rest.substring(0, rest.length() - a.length());
                    break;
                }
            }
            ModelSlot slot = model(rest, modelName);
            switch (action) {
                case "/ready" -> {
                    requireMethod(method, "GET", path);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", rest);
                    m.put("ready", true);
                    return m;
                }
                case "/infer" -> {
                    requireMethod(method, "POST", path);
                    return predict(exchange, slot, true);
                }
                default -> {
                    requireMethod(method, "GET", path);
                    return V2Protocol.metadata(slot);
                }
            }
        }
        if (path.startsWith("/v1/models/") && path.endsWith(":predict")) {
            String name = decode(path.substring("/v1/models/".length(), path.length() - ":predict".length()));
            ModelSlot slot = model(name, modelName);
            requireMethod(method, "POST", path);
            return predict(exchange, slot, false);
        }
        throw HttpError.notFound("no such path: " + exchange.getRequestMethod() + " " + path
                + " (paths: /v2/health/live, /v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready, /v2/models/NAME/infer,"
                + " /v1/models/NAME:predict, /metrics)");
    }

    private Object predict(HttpExchange exchange, ModelSlot slot, boolean v2) throws IOException, InterruptedException {
        // from here until the batcher has the request, the batcher may wait for it to join a batch
        try (Batcher.Ticket ticket = slot.batcher().arrive()) {
            byte[] body = readBody(exchange);
            return v2 ? V2Protocol.infer(slot, ticket, InferBody.read(body, Router::parse)) : V1Protocol.predict(slot, ticket, parse(body));
        }
    }

    private ModelSlot model(String name, String[] modelName) {
        ModelSlot slot = models.get(name);
        if (slot == null) {
            throw HttpError.notFound("unknown model '" + name + "' (models: " + String.join(", ", models.keySet()) + ")");
        }
        modelName[0] = name;
        return slot;
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) {
                    drain(exchange.getRequestBody());
                    throw tooLarge();
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
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads on past the limit (up to {@value #DRAIN_BYTES} more) before answering 413, so that a client still sending
     * gets the answer rather than a closed connection; a larger body is cut off.
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

    private static final long DRAIN_BYTES = 8L << 20;

    private HttpError tooLarge() {
        return new HttpError(413, "the request body is larger than the limit of " + maxBodyBytes + " bytes (--max-body-bytes)");
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) throw HttpError.badRequest("malformed JSON: the body is empty");
        try {
            return Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw HttpError.badRequest("malformed JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw HttpError.badRequest("malformed JSON: " + e.getMessage());
        }
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!method.equals(expected)) throw new HttpError(405, path + ": use " + expected + ", not " + method);
    }

    private static void sendError(HttpExchange exchange, int status, String message) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", message);
            send(exchange, status, "application/json", Json.mapper().writeValueAsBytes(m));
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
