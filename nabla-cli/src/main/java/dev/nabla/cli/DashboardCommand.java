package dev.nabla.cli;

import dev.nabla.dashboard.Dashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nabla dashboard DIR}: the recorded runs under DIR in the browser, side by side, until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows the training runs recorded under DIR (nabla train --run-dir, by default runs/ beside the model) "
                + "in the browser, to compare them: pick runs to overlay their curves, settings and test results side "
                + "by side. Runs still training and runs that start later appear as they go. Ctrl-C stops."},
        footer = {"", "Examples:", "  nabla dashboard runs", "  nabla dashboard runs --port 0"})
final class DashboardCommand implements Callable<Integer> {

    private final Io io;

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder of run folders (or one run folder).")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", description = "The port (default: " + Dashboard.DEFAULT_PORT + "; 0: a free one).")
    int port = Dashboard.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "HOST", description = "The address to listen on (default: 127.0.0.1, this machine only).")
    String host = "127.0.0.1";

    DashboardCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("DIR " + Printable.of(dir.toString()) + ": " + (Files.exists(dir) ? "is not a folder" : "no such folder"));
        }
        if (port < 0 || port > 65535) throw new UsageException("--port: a port is 0 to 65535, got " + port);
        Dashboard dashboard;
        try {
            dashboard = Dashboard.watch(dir, host, port);
        } catch (java.net.BindException e) {
            throw new UsageException("--port " + port + ": cannot listen on " + Printable.of(host) + ":" + port + " ("
                    + Errors.oneLine(e.getMessage()) + "); give another port, or --port 0 for a free one");
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--host " + Printable.of(host) + ": cannot listen there (" + Errors.oneLine(String.valueOf(e.getMessage())) + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            dashboard.close();
            stopped.countDown();
            io.out().flush();
            // a stop asked for is a success: the JVM would otherwise exit with 130
            Runtime.getRuntime().halt(0);
        }, "nabla-dashboard-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        io.out().println("dashboard of " + Printable.of(dir.toString()) + " at " + dashboard.address());
        io.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // a caller in the same JVM (a test) stops it
            Runtime.getRuntime().removeShutdownHook(hook);
            dashboard.close();
        }
        return 0;
    }
}
