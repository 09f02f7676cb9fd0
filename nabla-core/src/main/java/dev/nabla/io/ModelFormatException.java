package dev.nabla.io;

import java.io.IOException;

/**
 * A model file (or a safetensors buffer) is malformed, corrupt, truncated, or of an unsupported format or version.
 *
 * <p>Checked, and a subclass of {@link IOException}: reading a model is I/O, and a caller that already handles
 * {@code IOException} handles a bad file the same way, while one that wants to tell "file missing" from "file damaged"
 * can catch this type first. Messages are written for the person who picked the file, e.g.
 * {@code "model.nabla is corrupt: checksum mismatch in entry weights.safetensors"}.
 */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
