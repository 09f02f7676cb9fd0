package dev.nabla.serve;

import java.io.IOException;

/**
 * One HTTP request as the {@link Router} sees it, whichever server carries it ({@link Transport}): the method, the raw
 * path (without the query) and the body, read only when the route needs it.
 */
interface Request {

    /** {@code GET}, {@code POST}, ... */
    String method();

    /** The path as sent (still percent-encoded), without the query. */
    String rawPath();

    /** The value of the header {@code name} (case-insensitive), or null where the request has none. */
    String header(String name);

    /**
     * The whole body; a body over the server's limit is an {@link HttpError} 413 ({@link Router#tooLarge}).
     *
     * @throws IOException where the client went away while sending it
     */
    byte[] body() throws IOException;
}
