package dev.nabla.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.nabla.io.Json;
import dev.nabla.train.RunRecorder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A training dashboard in the browser, on the JDK's {@code com.sun.net.httpserver}: a page of loss, metric,
 * learning-rate and speed curves, the model summary, the settings and the test results of one or more runs, pushed
 * as Server-Sent Events ({@code GET /events}) as they happen; a page opened late first gets everything so far. The
 * page and its chart library (uPlot, from its webjar) come from the jar: nothing is fetched from the internet.
 *
 * <p>Live, from Java: a {@link RunRecorder} with the dashboard's {@link #run} sink is the callback.
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start("127.0.0.1", 0)) {
 *     System.out.println("dashboard at " + dashboard.address());
 *     RunRecorder recorder = new RunRecorder(dashboard.run("mlp"), RunFolder.create(Path.of("runs"), "mlp"));
 *     model.fit(x, y, new FitOptions().epochs(20).callbacks(recorder));
 *     recorder.close();
 * }
 * }</pre>
 * Past runs: {@link #watch} serves the run folders under a folder (and follows those still being written).
 */
public final class Dashboard implements AutoCloseable {

    /** The port when none is given ({@code nabla train --dashboard}, {@code nabla dashboard}). */
    public static final int DEFAULT_PORT = 8050;

    private final HttpServer http;
    private final ExecutorService executor;
    private final EventLog log;
    private final RunFolderWatcher watcher;
    private final Set<String> runIds = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Dashboard(HttpServer http, ExecutorService executor, EventLog log, RunFolderWatcher watcher) {
        this.http = http;
        this.executor = executor;
        this.log = log;
        this.watcher = watcher;
    }

    /**
     * Starts a live dashboard on {@code host} and {@code port} (0: a free one); no runs until {@link #run}.
     *
     * @throws java.net.BindException when the port is taken
     */
    public static Dashboard start(String host, int port) throws IOException {
        return start(host, port, new EventLog(), null);
    }

    /** Starts a dashboard of the run folders under {@code dir} ({@link dev.nabla.train.RunFolder}), or of {@code dir} itself. */
    public static Dashboard watch(Path dir, String host, int port) throws IOException {
        EventLog log = new EventLog();
        RunFolderWatcher watcher = new RunFolderWatcher(dir, log);
        try {
            watcher.scan();
        } catch (IOException e) {
            // unreadable now: the watcher looks again every second
        }
        Dashboard d = start(host, port, log, watcher);
        watcher.start();
        return d;
    }

    private static Dashboard start(String host, int port, EventLog log, RunFolderWatcher watcher) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", new DashboardHandler(log, http.getAddress()));
        http.start();
        return new Dashboard(http, executor, log, watcher);
    }

    /**
     * A new run on the page, called {@code name} (a number is added when the name is taken): the sink of a
     * {@link RunRecorder}. Its events are queued for the browsers; it never waits for them.
     */
    public synchronized RunRecorder.Sink run(String name) {
        String id = name;
        for (int i = 2; !runIds.add(id); i++) id = name + "-" + i;
        String runId = id;
        return new RunRecorder.Sink() {
            @Override
            public void settings(String json) {
                log.append(entry(runId, "{\"type\":\"settings\",\"settings\":" + json + "}"));
            }

            @Override
            public void event(String json) {
                log.append(entry(runId, json));
            }
        };
    }

    /** One event of the stream: {@code {"run": ID, "event": EVENT}}. */
    static String entry(String runId, String eventJson) {
        return "{\"run\":" + Json.write(runId) + ",\"event\":" + eventJson + "}";
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://HOST:PORT/}. */
    public String address() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** How many events the page has been sent so far (the history a late page replays). */
    public int events() {
        return log.size();
    }

    /**
     * Stops: the open pages are sent what is left (up to a second), then the server closes. A page shows its last
     * state and that the dashboard is gone.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (watcher != null) watcher.close();
        log.close();
        // the event streams end once they have sent what is left: stop waits for them (a second at most)
        http.stop(1);
        executor.shutdownNow();
    }
}
