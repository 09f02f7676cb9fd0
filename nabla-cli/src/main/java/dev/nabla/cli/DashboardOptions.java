package dev.nabla.cli;

import dev.nabla.dashboard.Dashboard;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@code nabla train} that record the run and show it live (a picocli mixin): {@code --run-dir},
 * {@code --dashboard [PORT]}, {@code --dashboard-exit}, {@code --dashboard-host}. {@link #open} checks them and
 * starts the dashboard before any data is read; {@link RunMonitor} does the rest.
 */
final class DashboardOptions {

    /** The {@code --run-dir} value that turns recording off. */
    static final String OFF = "none";
    /** The default {@code --run-dir}: this folder beside {@code --out}. */
    static final String DEFAULT_FOLDER = "runs";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Record the run in a new sub-folder of DIR named by the time and the model (settings.json, and "
                    + "metrics.jsonl: batch and epoch metrics, test results), for nabla dashboard DIR (default: "
                    + DEFAULT_FOLDER + " beside --out; " + OFF + ": no record).")
    String runDir;

    @Option(names = "--dashboard", arity = "0..1", paramLabel = "PORT", fallbackValue = "" + Dashboard.DEFAULT_PORT,
            description = "Show training live in the browser at http://127.0.0.1:PORT/ (default port: "
                    + Dashboard.DEFAULT_PORT + "; 0: a free one): curves per batch and epoch, learning rate, speed, "
                    + "ETA, model, settings, test results. It keeps serving the final state until Ctrl-C.")
    Integer dashboard;

    @Option(names = "--dashboard-exit", description = "With --dashboard: exit when training ends instead of serving on.")
    boolean dashboardExit;

    @Option(names = "--dashboard-host", paramLabel = "HOST",
            description = "With --dashboard: the address to listen on (default: 127.0.0.1, this machine only).")
    String dashboardHost;

    /**
     * Checks the flags and starts what they ask for: the run folder is only chosen here (it is made when training
     * starts), the dashboard listens from now on, so a port in use is an error before any data is read.
     */
    RunMonitor open(Path out, Io io) {
        if (dashboard == null && dashboardExit) throw new UsageException("--dashboard-exit: only with --dashboard");
        if (dashboard == null && dashboardHost != null) throw new UsageException("--dashboard-host: only with --dashboard");
        if (dashboard != null && (dashboard < 0 || dashboard > 65535)) {
            throw new UsageException("--dashboard: a port is 0 to 65535, got " + dashboard);
        }
        Path root = runRoot(out);
        Dashboard live = dashboard == null ? null : startDashboard(io);
        return new RunMonitor(root, baseName(out), arguments(), live, dashboardExit, io);
    }

    /** The folder that gets the run's sub-folder, or null for none; checked to be (or become) a writable folder. */
    private Path runRoot(Path out) {
        if (runDir != null && runDir.equals(OFF)) return null;
        Path root = runDir != null ? Path.of(runDir) : out.toAbsolutePath().resolveSibling(DEFAULT_FOLDER);
        String flag = runDir != null ? "--run-dir " + Printable.of(runDir) : "the run folder " + Printable.of(root.toString())
                + " (beside --out; --run-dir " + OFF + " records nothing)";
        Path existing = root.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UsageException(flag + ": " + (existing == null ? "no such folder" : Printable.of(existing.toString()) + " is not a folder"));
        }
        if (!Files.isWritable(existing)) throw new UsageException(flag + ": cannot write in " + Printable.of(existing.toString()));
        return root;
    }

    private Dashboard startDashboard(Io io) {
        String host = dashboardHost != null ? dashboardHost : "127.0.0.1";
        try {
            Dashboard d = Dashboard.start(host, dashboard);
            io.err().println("dashboard at " + d.address());
            io.err().flush();
            return d;
        } catch (java.net.BindException e) {
            throw new UsageException("--dashboard " + dashboard + ": cannot listen on " + Printable.of(host) + ":" + dashboard
                    + " (" + Errors.oneLine(e.getMessage()) + "); give another port, or --dashboard 0 for a free one");
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--dashboard-host " + Printable.of(host) + ": cannot listen there ("
                    + Errors.oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    /** The command line as given and the options it set ({@code "--epochs": "5"}), for the run's settings. */
    private Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        var parsed = mixee == null || mixee.commandLine() == null ? null : mixee.commandLine().getParseResult();
        if (parsed == null) return a;
        a.put("args", new ArrayList<>(parsed.originalArgs()));
        Map<String, Object> flags = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            List<String> values = o.stringValues();
            Object value = o.arity().max == 0 || values.isEmpty() ? String.valueOf((Object) o.getValue())
                    : values.size() == 1 ? values.get(0) : new ArrayList<>(values);
            flags.put(o.longestName(), value);
        }
        a.put("flags", flags);
        return a;
    }

    private static String baseName(Path out) {
        String f = out.getFileName() == null ? "model" : out.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
