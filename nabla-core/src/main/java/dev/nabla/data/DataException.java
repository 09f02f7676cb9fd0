package dev.nabla.data;

import java.io.IOException;

/** Input data that cannot be used as it is; the message names the file (and line or entry where it helps). */
public class DataException extends IOException {
    public DataException(String message) {
        super(message);
    }
}
