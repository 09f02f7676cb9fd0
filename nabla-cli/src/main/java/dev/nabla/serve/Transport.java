package dev.nabla.serve;

import java.net.InetSocketAddress;

/**
 * The HTTP server under a {@link PredictionServer}: it listens, parses requests, hands each to the {@link Router} on a
 * thread that may block ({@link Router#handle}: the batcher waits), or, where {@link Router#inline} allows, answers it
 * without blocking ({@link Router#begin}, {@link Batcher#predictNow}, {@link Router#end}), and writes the
 * {@link Response}.
 */
interface Transport {

    /** The address it listens on, with the port it got. */
    InetSocketAddress address();

    /**
     * Stops accepting connections and waits (up to {@code graceSeconds}) for the requests whose headers have arrived to
     * be answered, then closes every connection.
     */
    void stop(int graceSeconds) throws InterruptedException;
}
