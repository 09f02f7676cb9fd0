package dev.nabla.cli;

import dev.nabla.dashboard.Dashboard;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Task;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.RunFolder;
import dev.nabla.train.RunRecorder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The record and the live dashboard of one {@code nabla train} ({@link DashboardOptions}): the run folder is made and
 * the {@link RunRecorder} attached when training starts ({@link #begin}), the test results added after
 * ({@link #tested}), then {@link #finish} closes the record and, with a dashboard, serves its final state until
 * Ctrl-C (or not, with {@code --dashboard-exit}).
 */
final class RunMonitor {

    /** Records nothing, shows nothing ({@code nabla demo}). */
    static final RunMonitor NONE = new RunMonitor(null, "model", Map.of(), null, true, null);

    private final Path root;
    private final String name;
    private final Map<String, Object> arguments;
    private final Dashboard dashboard;
    private final boolean exitAfter;
    private final Io io;
    private RunFolder folder;
    private RunRecorder recorder;

    RunMonitor(Path root, String name, Map<String, Object> arguments, Dashboard dashboard, boolean exitAfter, Io io) {
        this.root = root;
        this.name = name;
        this.arguments = arguments;
        this.dashboard = dashboard;
        this.exitAfter = exitAfter;
        this.io = io;
    }

    /** Training is about to start: the run's folder and settings, and the recorder among {@code fit}'s callbacks. */
    void begin(Map<String, Object> training, String modelSummary, FitOptions fit) {
        if (root == null && dashboard == null) return;
        List<RunRecorder.Sink> sinks = new ArrayList<>();
        String runName = name;
        if (root != null) {
            try {
                folder = RunFolder.create(root, name);
            } catch (IOException e) {
                throw new UsageException("--run-dir " + Printable.of(root.toString()) + ": cannot make the run's folder ("
                        + Errors.message(e) + ")");
            }
            sinks.add(folder);
            runName = folder.folder().getFileName().toString();
            io.err().println("Recording the run in " + Printable.of(folder.folder().toString()));
        }
        if (dashboard != null) sinks.add(dashboard.run(runName));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", runName);
        settings.put("command", "nabla train");
        settings.putAll(arguments);
        settings.put("data", training.get("data"));
        settings.put("model_summary", modelSummary);
        settings.put("training", training);
        recorder = new RunRecorder(sinks.toArray(RunRecorder.Sink[]::new)).settings(settings);
        fit.callbacks(recorder);
    }

    /** The test results: the metrics and, for a classifier, the AUC, per-class scores and confusion matrix. */
    void tested(Model model, LoadedData test, Task task, Map<String, Double> metrics) {
        if (recorder == null) return;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("samples", test.size());
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : metrics.entrySet()) m.put(e.getKey(), Reports.finite(e.getValue()));
        results.put("metrics", m);
        if (task == Task.CLASSIFICATION) results.putAll(ClassificationReport.of(model, test.x(), test.y()).json());
        recorder.test(results);
    }

    /** Training threw: the record says so. */
    void failed(Throwable e) {
        if (recorder != null) recorder.failed(Errors.message(e));
    }

    /**
     * The command is done: closes the record (a write that failed is a warning: the model is saved), then, after a
     * successful run with a dashboard and without {@code --dashboard-exit}, serves until Ctrl-C (or until this thread
     * is interrupted) and stops the dashboard.
     */
    void finish(boolean succeeded) {
        if (recorder != null) recorder.close();
        if (folder != null && folder.error() != null) {
            io.err().println("warning: the run's record in " + Printable.of(folder.folder().toString()) + " is incomplete: "
                    + Errors.message(folder.error()));
        }
        if (dashboard == null) return;
        try {
            if (succeeded && !exitAfter) serveUntilStopped();
        } finally {
            dashboard.close();
        }
    }

    private void serveUntilStopped() {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            dashboard.close();
            stopped.countDown();
            io.err().flush();
            // Ctrl-C ends a dashboard of a finished run: that is a success (the JVM would exit with 130)
            Runtime.getRuntime().halt(0);
        }, "nabla-dashboard-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        io.err().println("Training done; the dashboard keeps serving at " + dashboard.address() + " (Ctrl-C to stop)");
        io.err().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is stopping: the hook halts it
            }
        }
    }
}
