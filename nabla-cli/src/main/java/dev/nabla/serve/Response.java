package dev.nabla.serve;

/**
 * The answer to one request: the HTTP status, the Content-Type and the body ({@code {"error": "..."}} for a status
 * other than 200).
 *
 * @param status      the HTTP status
 * @param contentType the Content-Type header
 * @param body        the body
 */
public record Response(int status, String contentType, byte[] body) {
}
