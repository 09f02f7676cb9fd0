package dev.nabla.cli;

import dev.nabla.distributed.Rendezvous;
import dev.nabla.distributed.TcpRingCollective;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * {@code nabla train --workers N} (a picocli mixin): data-parallel training in N processes on this machine, which
 * {@link WorkerLauncher} starts with the hidden options that make each one a rank: {@code --rank R} and
 * {@code --rendezvous host:port,...} (every rank's address, where the ranks meet), and {@code --worker-timeout}.
 */
final class WorkerOptions {

    /** More would be one process per thread of a large machine, and each loads all the data. */
    static final int MAX_WORKERS = 64;

    @Option(names = "--workers", paramLabel = "N",
            description = "Train data-parallel in N processes on this machine (default 1): each takes --batch-size samples of every "
                    + "step (N * --batch-size in all), gradients are averaged over them before each step, so N workers learn "
                    + "what one does with N times the batch size; --threads (default: all cores) is shared out among them. "
                    + "Progress is shown per epoch; see docs/distributed.md.")
    Integer workers;

    @Option(names = "--rank", hidden = true, paramLabel = "R", description = "This worker's rank (set by --workers).")
    Integer rank;

    @Option(names = "--rendezvous", hidden = true, paramLabel = "LIST",
            description = "host:port of every rank, in rank order (set by --workers).")
    String rendezvous;

    @Option(names = "--worker-timeout", hidden = true, paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a worker waits for another before failing (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    /** Whether this process starts the workers (rather than being one, or training alone). */
    boolean launches() {
        check();
        return workers != null && workers > 1 && rank == null;
    }

    void check() {
        if (workers != null && (workers < 1 || workers > MAX_WORKERS)) {
            throw new UsageException("--workers: must be from 1 to " + MAX_WORKERS + ", got " + workers);
        }
        if ((rank == null) != (rendezvous == null)) throw new UsageException("--rank and --rendezvous go together");
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new UsageException("--worker-timeout: must be a positive number of seconds, got " + timeoutSeconds);
        }
    }

    /** This process's place in the ring when it is a worker (it then ends with the process that started it), or null. */
    TcpRingCollective join() {
        check();
        if (rank == null) return null;
        List<InetSocketAddress> addresses;
        try {
            addresses = Rendezvous.parse(rendezvous);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rendezvous: " + e.getMessage());
        }
        if (rank < 0 || rank >= addresses.size()) {
            throw new UsageException("--rank: must be from 0 to " + (addresses.size() - 1) + " for " + addresses.size() + " addresses, got " + rank);
        }
        if (System.getenv(WorkerLauncher.PARENT_ENV) != null) WorkerLauncher.exitWithParent();
        return TcpRingCollective.connect(rank, addresses, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }

    /** Rank 0's line after training: the workers, the global batch and the time the gradients' all-reduce took. */
    static String summary(TcpRingCollective ring, double seconds, int batchSize) {
        TcpRingCollective.Stats stats = ring.stats();
        double rest = (stats.allReduceNanos() - stats.firstAllReduceNanos()) / 1e9;
        return String.format(java.util.Locale.ROOT, "Workers: %d processes, %,d samples per step (%,d each); gradient all-reduce "
                        + "%.2f ms per step (%.2f of them waiting for the slowest worker), %.0f%% of the training time, %,.1f MB "
                        + "sent by rank 0",
                ring.worldSize(), batchSize * ring.worldSize(), batchSize, stats.meanMillisAfterFirst(),
                stats.meanWaitMillisAfterFirst(), seconds > 0 ? 100 * rest / seconds : 0, stats.bytesSent() / 1e6);
    }
}
