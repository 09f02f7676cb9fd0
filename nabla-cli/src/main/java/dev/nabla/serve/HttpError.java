package dev.nabla.serve;

/**
 * A request the server refuses: the HTTP status and the message of the {@code {"error": "..."}} body, which names
 * what is wrong (the model, the input, the field). Thrown by the protocols and turned into a response by the
 * {@link Router}; the server goes on serving.
 */
public final class HttpError extends RuntimeException {

    private final int status;

    /** A refusal with {@code status} (4xx for the client's mistakes) and {@code message}. */
    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400 Bad Request: malformed JSON, a wrong shape, datatype or column, an undecodable image. */
    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    /** 404 Not Found: an unknown model or path. */
    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
