package dev.nabla.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every path of the server, whichever {@link Transport} carries the request: dispatches it to the v1 or
 * v2 protocol or the metrics, writes the JSON answer or {@code {"error": "..."}} with the status of the
 * {@link HttpError}, and counts it in the {@link Metrics}. An unexpected failure is a 500 naming it; nothing a request
 * sends stops the server.
 */
final class Router {

    private final Map<String, ModelSlot> models;
    private final Metrics metrics;

    Router(Map<String, ModelSlot> models, Metrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** Answers {@code request}, counting it in the metrics; never throws. */
    Response handle(Request request) {
        long start = System.nanoTime();
        String[] model = {""};
        Response response;
        try {
            response = route(request, model);
        } catch (HttpError e) {
            response = error(e.status(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = error(503, "the server is stopping");
        } catch (IOException e) {
            // the client went away while sending: nobody reads this answer, the metrics still count it
            response = error(400, "the request body could not be read: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            response = error(500, "internal error: " + e);
        }
        metrics.request(model[0], response.status(), (System.nanoTime() - start) / 1e9);
        return response;
    }

    private Response route(Request request, String[] modelName) throws IOException, InterruptedException {
        String path = request.rawPath();
        String method = request.method();
        if (path.equals("/metrics")) {
            requireMethod(method, "GET", path);
            return new Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            requireMethod(method, "GET", path);
            return json(Map.of(path.endsWith("live") ? "live" : "ready", true));
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            requireMethod(method, "GET", path);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "nabla");
            m.put("extensions", java.util.List.of("binary_tensor_data"));
            return json(m);
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
                    return json(m);
                }
                case "/infer" -> {
                    requireMethod(method, "POST", path);
                    return predict(request, slot, true);
                }
                default -> {
                    requireMethod(method, "GET", path);
                    return json(V2Protocol.metadata(slot));
                }
            }
        }
        if (path.startsWith("/v1/models/") && path.endsWith(":predict")) {
            String name = decode(path.substring("/v1/models/".length(), path.length() - ":predict".length()));
            ModelSlot slot = model(name, modelName);
            requireMethod(method, "POST", path);
            return predict(request, slot, false);
        }
        throw HttpError.notFound("no such path: " + method + " " + path
                + " (paths: /v2/health/live, /v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready, /v2/models/NAME/infer,"
                + " /v1/models/NAME:predict, /metrics)");
    }

    private Response predict(Request request, ModelSlot slot, boolean v2) throws IOException, InterruptedException {
        // from here until the batcher has the request, the batcher may wait for it to join a batch
        try (Batcher.Ticket ticket = slot.batcher().arrive()) {
            byte[] body = request.body();
            if (!v2) return json(V1Protocol.predict(slot, ticket, parse(body)));
            InferBody infer = InferBody.read(body, request.header(BinaryOutputs.HEADER), Router::parse);
            return BinaryOutputs.response(V2Protocol.infer(slot, ticket, infer), infer.tree());
        }
    }

    private static Response json(Object answer) throws IOException {
        return new Response(200, "application/json", Json.mapper().writeValueAsBytes(answer));
    }

    private ModelSlot model(String name, String[] modelName) {
        ModelSlot slot = models.get(name);
        if (slot == null) {
            throw HttpError.notFound("unknown model '" + name + "' (models: " + String.join(", ", models.keySet()) + ")");
        }
        modelName[0] = name;
        return slot;
    }

    /** The 413 of a body over {@code maxBodyBytes}, the same for every {@link Transport}. */
    static HttpError tooLarge(long maxBodyBytes) {
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

    /** {@code {"error": message}} with {@code status}. */
    static Response error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        try {
            return new Response(status, "application/json", Json.mapper().writeValueAsBytes(m));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
