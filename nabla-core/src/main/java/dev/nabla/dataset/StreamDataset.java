package dev.nabla.dataset;

import java.io.IOException;

/**
 * A data set read front to back (PyTorch's {@code IterableDataset}): rows of a CSV file, a database query, files
 * listed as they are found. Each pass {@link #open opens} a stream of {@link Record records}, which are cheap to
 * read in order (a parsed line, a file name); {@link Record#decode} turns one into an {@link Example} and runs on the
 * loader's worker threads. A {@link DataLoader} shuffles records through a bounded buffer, so memory is bounded by
 * the buffer and the prefetched batches, not by the data.
 *
 * <p>A new source (Parquet files, a JDBC query) is one class implementing this interface.
 */
public interface StreamDataset {

    /** The shape of every example. */
    ExampleSpec spec();

    /** The number of examples a pass gives, or -1 when it is not known before reading. */
    long size();

    /** Starts a pass over the records, from the first. */
    Records open() throws IOException;

    /** One pass over a stream's records. */
    interface Records extends AutoCloseable {
        /** The next record, or null at the end. */
        Record next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A record read but not yet decoded. */
    @FunctionalInterface
    interface Record {
        /** The example; an error names the file (and line) it came from. Called on a worker thread. */
        Example decode() throws IOException;
    }

    /** Worker threads a loader uses when the fit does not say: all cores. */
    default int suggestedWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Rank {@code rank}'s part of the stream of {@code worldSize} ranks: records {@code rank, rank + worldSize, ...}
     * of each pass (disjoint, together every record once).
     */
    default StreamDataset shard(int rank, int worldSize) {
        return new StreamShard(this, rank, worldSize);
    }
}
