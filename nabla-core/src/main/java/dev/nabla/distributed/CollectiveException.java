package dev.nabla.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A collective operation or the meeting of the ranks failed: a peer closed its connection, stopped answering within
 * the timeout, or is not the process it should be. The message names this rank, the peer's rank and its address.
 */
public final class CollectiveException extends UncheckedIOException {

    public CollectiveException(String message, IOException cause) {
        super(message, cause);
    }

    public CollectiveException(String message) {
        super(message, new IOException(message));
    }
}
