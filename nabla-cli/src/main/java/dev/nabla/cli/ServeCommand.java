package dev.nabla.cli;

import dev.nabla.serve.PredictionServer;
import dev.nabla.serve.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code nabla serve}: an HTTP prediction server ({@link PredictionServer}) for one or more models, answering with
 * the same predictions as {@code nabla predict}. SIGTERM (or Ctrl-C) stops accepting, finishes the requests in flight
 * and exits with status 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves models over HTTP: the Open Inference Protocol (KServe v2: GET /v2/health/live, "
                + "/v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready, POST /v2/models/NAME/infer), "
                + "POST /v1/models/NAME:predict with {\"instances\": [...]} answering {\"predictions\": [...]} as "
                + "nabla predict --json, and GET /metrics (Prometheus). Prints 'listening on http://HOST:PORT'; "
                + "SIGTERM finishes the requests in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--model", required = true, paramLabel = "[NAME=]FILE", description = "A model file to serve "
            + "(repeatable), under NAME (default: the file name without its extension).")
    List<String> models = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", description = "The address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "The port (default: 8080; 0 picks a free one and prints it).")
    int port = 8080;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the computation (default: all cores; at most 8 per core or 64, whichever is more).")
    Integer threads;

    @Option(names = "--max-batch", paramLabel = "N", description = "The most samples that concurrent requests to a model are grouped into for one prediction (default: 64).")
    int maxBatch = 64;

    @Option(names = "--max-wait-ms", paramLabel = "MS", description = "How long a batch waits for requests still "
            + "arriving (default: 2; a lone request never waits).")
    long maxWaitMs = 2;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Larger request bodies are refused with 413 (default: 16777216).")
    long maxBodyBytes = 16L << 20;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    ServeCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        if (port < 0 || port > 65535) throw new UsageException("--port: expected 0 to 65535, got " + port);
        if (maxBatch < 1) throw new UsageException("--max-batch: must be at least 1, got " + maxBatch);
        if (maxWaitMs < 0) throw new UsageException("--max-wait-ms: must be at least 0, got " + maxWaitMs);
        if (maxBodyBytes < 1) throw new UsageException("--max-body-bytes: must be at least 1, got " + maxBodyBytes);
        precision.chosen();
        List<ServedModel> served = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String spec : models) {
            ServedModel m = load(spec);
            if (!names.add(m.name())) {
                throw new UsageException("--model " + Printable.of(spec) + ": a second model named '" + Printable.of(m.name())
                        + "'; name them apart with --model NAME=FILE");
            }
            served.add(m);
        }
        PredictionServer server;
        PredictionServer.Options options = new PredictionServer.Options(host, port, maxBodyBytes, maxBatch, maxWaitMs,
                precision.effective(io));
        try {
            server = PredictionServer.start(served, options);
        } catch (java.net.BindException e) {
            throw new UsageException("--port " + port + " --host " + Printable.of(host) + ": cannot listen there (" + e.getMessage() + ")");
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UsageException("--host " + Printable.of(host) + ": cannot listen there (" + Errors.oneLine(String.valueOf(e.getMessage())) + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                server.stop(30);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
            io.out().flush();
            // a stop asked for is a success: the JVM would otherwise exit with 143 for SIGTERM
            Runtime.getRuntime().halt(0);
        }, "nabla-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        io.out().println("listening on " + server.address());
        io.out().flush();
        stopped.await();
        return 0;
    }

    ServedModel load(String spec) throws java.io.IOException {
        int eq = spec.indexOf('=');
        Path file = Path.of(eq >= 0 ? spec.substring(eq + 1) : spec);
        String name = eq >= 0 ? spec.substring(0, eq) : baseName(file);
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException("--model " + Printable.of(spec) + ": a model name is letters, digits, '.', '_' or '-', got '"
                    + Printable.of(name) + "'");
        }
        return ServedModels.load(name, file);
    }

    private static String baseName(Path file) {
        String f = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
