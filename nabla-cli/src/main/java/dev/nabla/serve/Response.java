package dev.nabla.serve;

import java.util.Map;

/**
 * The answer to one request: the HTTP status, the Content-Type and the body ({@code {"error": "..."}} for a status
 * other than 200), and any further headers (the {@code Inference-Header-Content-Length} of a KServe answer with
 * binary outputs).
 *
 * @param status      the HTTP status
 * @param contentType the Content-Type header
 * @param body        the body
 * @param headers     further headers, name to value
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** An answer with no further headers. */
    public Response(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    public Response {
        headers = Map.copyOf(headers);
    }
}
