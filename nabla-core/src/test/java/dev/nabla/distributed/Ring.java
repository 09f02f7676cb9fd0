package dev.nabla.distributed;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Tests' rings: N ranks on loopback, one thread each, every rank's result back in rank order. */
public final class Ring {

    private Ring() {
    }

    /** Runs {@code body} on each of {@code n} connected ranks (closed after) and returns the results by rank. */
    public static <T> List<T> run(int n, Duration timeout, Function<Collective, T> body) throws Exception {
        List<InetSocketAddress> addresses = Rendezvous.localFreePorts(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                Callable<T> task = () -> {
                    try (Collective c = TcpRingCollective.connect(rank, addresses, timeout)) {
                        return body.apply(c);
                    }
                };
                futures.add(pool.submit(task));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(120, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
