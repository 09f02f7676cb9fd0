package dev.nabla.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;

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

    /** The largest prediction body answered on a thread that must not block ({@link #inline}). */
    static final long INLINE_BODY_BYTES = 64 << 10;

    private final Map<String, ModelSlot> models;
    private final Metrics metrics;

    Router(Map<String, ModelSlot> models, Metrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** Answers {@code request} on this thread (its batch may make it wait), counting it in the metrics; never throws. */
    Response handle(Request request) {
        long start = System.nanoTime();
        String[] model = {""};
        Response response;
        try {
            response = route(request, model, true).ready;
        } catch (Exception | Error e) {
            response = failure(e);
        }
        return counted(model[0], response, start);
    }

    /**
     * Routes {@code request} up to its prediction without waiting for anything: the {@link Pending} to predict (with
     * {@link Batcher#predictNow}) and {@link #end}, or one whose answer is {@link Pending#ready} (counted already).
     */
    Pending begin(Request request) {
        long start = System.nanoTime();
        String[] model = {""};
        Pending p;
        try {
            p = route(request, model, false);
        } catch (Exception | Error e) {
            p = Pending.ready(failure(e));
        }
        p.start = start;
        p.model = model[0];
        if (p.ready != null) counted(p.model, p.ready, start);
        return p;
    }

    /** The answer of {@code p} (from {@link #begin}) from its model's output, or its failure; counted in the metrics. */
    Response end(Pending p, Tensor output, Throwable failure) {
        Response response;
        try {
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
            response = p.finish.answer(output);
        } catch (Exception | Error e) {
            response = failure(e);
        }
        return counted(p.model, response, p.start);
    }

    /**
     * Whether a request can be answered on a thread that must not block: anything but a prediction (health,
     * metadata, metrics, refusals), and a prediction whose body is at most {@value #INLINE_BODY_BYTES} bytes for a
     * model whose rows {@link Batcher#quick are quick} to predict and which reads no image files (decoding them writes
     * temporary files).
     */
    boolean inline(String rawPath, long bodyBytes) {
        ModelSlot slot = predicted(rawPath);
        return slot == null || bodyBytes <= INLINE_BODY_BYTES && !slot.inputs().images() && slot.batcher().quick();
    }

    /** The model a prediction path names, or null for other paths and unknown models. */
    private ModelSlot predicted(String path) {
        String name = null;
        if (path.startsWith("/v2/models/") && path.endsWith("/infer")) {
            name = path.substring("/v2/models/".length(), path.length() - "/infer".length());
        } else if (path.startsWith("/v1/models/") && path.endsWith(":predict")) {
            name = path.substring("/v1/models/".length(), path.length() - ":predict".length());
        }
        return name == null ? null : models.get(name.indexOf('%') < 0 && name.indexOf('+') < 0 ? name : decode(name));
    }

    private Response counted(String model, Response response, long start) {
        metrics.request(model, response.status(), (System.nanoTime() - start) / 1e9);
        return response;
    }

    /** The answer for what a request's handling threw: an unexpected failure is a 500 naming it. */
    private static Response failure(Throwable t) {
        if (t instanceof HttpError e) return error(e.status(), e.getMessage());
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return error(503, "the server is stopping");
        }
        // the client went away while sending: nobody reads this answer, the metrics still count it
        if (t instanceof IOException e) return error(400, "the request body could not be read: " + e.getMessage());
        return error(500, "internal error: " + t);
    }

    /** Where {@code wait}, the whole answer (predicted in a batch that may wait); else up to the prediction. */
    private Pending route(Request request, String[] modelName, boolean wait) throws IOException, InterruptedException {
        String path = request.rawPath();
        String method = request.method();
        if (path.equals("/metrics")) {
            requireMethod(method, "GET", path);
            return Pending.ready(new Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8)));
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            requireMethod(method, "GET", path);
            return Pending.ready(json(Map.of(path.endsWith("live") ? "live" : "ready", true)));
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            requireMethod(method, "GET", path);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "nabla");
            m.put("extensions", java.util.List.of("binary_tensor_data"));
            return Pending.ready(json(m));
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
                    return Pending.ready(json(m));
                }
                case "/infer" -> {
                    requireMethod(method, "POST", path);
                    return predict(request, slot, true, wait);
                }
                default -> {
                    requireMethod(method, "GET", path);
                    return Pending.ready(json(V2Protocol.metadata(slot)));
                }
            }
        }
        if (path.startsWith("/v1/models/") && path.endsWith(":predict")) {
            String name = decode(path.substring("/v1/models/".length(), path.length() - ":predict".length()));
            ModelSlot slot = model(name, modelName);
            requireMethod(method, "POST", path);
            return predict(request, slot, false, wait);
        }
        throw HttpError.notFound("no such path: " + method + " " + path
                + " (paths: /v2/health/live, /v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready, /v2/models/NAME/infer,"
                + " /v1/models/NAME:predict, /metrics)");
    }

    private Pending predict(Request request, ModelSlot slot, boolean v2, boolean wait) throws IOException, InterruptedException {
        if (!wait) return prepare(request, slot, v2);
        // from here until the batcher has the request, the batcher may wait for it to join a batch
        try (Batcher.Ticket ticket = slot.batcher().arrive()) {
            Pending p = prepare(request, slot, v2);
            return Pending.ready(p.finish.answer(ticket.predict(p.x)));
        }
    }

    private static Pending prepare(Request request, ModelSlot slot, boolean v2) throws IOException {
        byte[] body = request.body();
        if (!v2) return V1Protocol.predict(slot, parse(body));
        return V2Protocol.infer(slot, InferBody.read(body, request.header(BinaryOutputs.HEADER), Router::parse));
    }

    static Response json(Object answer) throws IOException {
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
