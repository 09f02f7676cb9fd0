package dev.nabla.io;

/**
 * Malformed JSON text, a value that JSON cannot represent, or a JSON value of the wrong type for a typed accessor.
 *
 * <p>Unchecked: JSON here is built and read by Nabla's own code, where a failure is either a programming error (writing)
 * or is translated into a {@link ModelFormatException} by the file reader that knows which file was bad.
 */
public class JsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /** An error not tied to a place in a JSON text (writing, typed access). */
    public JsonException(String message) {
        super(message);
        this.position = -1;
    }

    /** A parse error at character offset {@code position} of the text; the message should already name the place. */
    public JsonException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** A parse error at character offset {@code position}, found by the underlying parser ({@code cause}). */
    public JsonException(String message, int position, Throwable cause) {
        super(message, cause);
        this.position = position;
    }

    /** Character offset (0-based) in the parsed text where the error was found, or -1 when not a parse error. */
    public int position() {
        return position;
    }
}
