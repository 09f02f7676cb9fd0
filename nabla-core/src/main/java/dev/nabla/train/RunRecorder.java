package dev.nabla.train;

import dev.nabla.io.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a training run as events, one JSON object each, handed to its {@link Sink}s: a {@link RunFolder} keeps them
 * as plain files, a live dashboard pushes them to a browser. The events, by {@code "type"}:
 * <ul>
 *   <li>{@code start}: {@code time} (ISO-8601, UTC), {@code first_epoch}, {@code epochs} (the last epoch this fit
 *       runs), {@code train_samples};</li>
 *   <li>{@code batch}: {@code epoch}, {@code batch}, {@code batches}, {@code loss} (the mean of the batch losses since
 *       the previous batch event), {@code samples_per_second} (since then), {@code elapsed} and {@code eta} (seconds).
 *       At most one every {@code max(0.1 s, elapsed / 1000)}: ten a second at first, about a thousand more for each
 *       tenfold of the run's length after that, so a long run stays a few thousand points;</li>
 *   <li>{@code epoch}: {@code epoch}, {@code epochs}, {@code logs} (exactly {@link Callback#onEpochEnd}'s: {@code loss},
 *       metrics, {@code val_*}, {@code lr}), {@code epoch_seconds}, {@code samples_per_second}, {@code elapsed},
 *       {@code eta};</li>
 *   <li>{@code train_end}: {@code status} ({@code completed}, {@code stopped} by a callback such as early stopping,
 *       {@code interrupted} after a batch, or {@code failed} with a {@code message}), {@code epochs_done},
 *       {@code elapsed};</li>
 *   <li>{@code test}: what {@link #test} is given (the command line: {@code samples}, {@code metrics} and, for
 *       classifiers, {@code auc}, {@code per_class} and {@code confusion_matrix}).</li>
 * </ul>
 * Non-finite numbers are written as {@code null}. The training thread does the formatting (a few microseconds per
 * event, none for a batch without one) and hands each line over; sinks must not block it.
 *
 * <pre>{@code
 * RunRecorder recorder = new RunRecorder(RunFolder.create(Path.of("runs"), "mlp"))
 *         .settings(Map.of("optimizer", "adam", "batch_size", 64));
 * model.fit(x, y, new FitOptions().epochs(5).callbacks(recorder));
 * recorder.close();
 * }</pre>
 */
public final class RunRecorder implements Callback, AutoCloseable {

    /** Where a recorder's events go. Called on the training thread: return at once (queue, don't wait). */
    public interface Sink extends AutoCloseable {

        /** The run's settings, a JSON object, once before the first event. */
        void settings(String json);

        /** One event: a JSON object on one line (no line break). */
        void event(String json);

        /** The run is over: no more events. */
        @Override
        default void close() {
        }
    }

    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final long INTERVAL_FRACTION = 1000;

    private final List<Sink> sinks;
    private Map<String, Object> settings;
    private boolean settingsSent;
    private boolean begun;
    private boolean ended;
    private long start;
    private long epochStart;
    private int firstEpoch;
    private int lastEpoch;
    private int epochsDone;
    private long lastPoint;
    private double lossSinceLast;
    private int batchesSinceLast;

    public RunRecorder(Sink... sinks) {
        this.sinks = List.of(sinks);
    }

    /**
     * The run's settings (any JSON-writable values), sent to the sinks now with {@code start_time} added where absent.
     * Without it, {@link #onTrainBegin} sends {@code start_time}, {@code epochs} and {@code train_samples} alone.
     */
    public RunRecorder settings(Map<String, Object> settings) {
        if (settingsSent) throw new IllegalStateException("the settings were already recorded");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("start_time", now());
        s.putAll(settings);
        this.settings = s;
        String json = Json.write(finite(s));
        for (Sink sink : sinks) sink.settings(json);
        settingsSent = true;
        return this;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        begun = true;
        start = System.nanoTime();
        lastPoint = start - MIN_INTERVAL_NANOS;
        lossSinceLast = 0;
        batchesSinceLast = 0;
        ended = false;
        lastEpoch = context.epochs();
        epochsDone = context.model().epochsDone();
        firstEpoch = epochsDone + 1;
        if (!settingsSent) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("epochs", lastEpoch);
            s.put("train_samples", context.trainSamples());
            settings(s);
        }
        Map<String, Object> e = event("start");
        e.put("time", settings.get("start_time") instanceof String t ? t : now());
        e.put("first_epoch", firstEpoch);
        e.put("epochs", lastEpoch);
        e.put("train_samples", context.trainSamples());
        send(e);
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
        lossSinceLast += loss;
        batchesSinceLast++;
        long now = System.nanoTime();
        long interval = Math.max(MIN_INTERVAL_NANOS, (now - start) / INTERVAL_FRACTION);
        if (now - lastPoint < interval) return;
        double seconds = (now - Math.max(lastPoint, start)) / 1e9;
        Map<String, Object> e = event("batch");
        e.put("epoch", epoch);
        e.put("batch", batch);
        e.put("batches", batches);
        e.put("loss", lossSinceLast / batchesSinceLast);
        e.put("samples_per_second", seconds > 0 ? (double) context.trainSamples() * batchesSinceLast / batches / seconds : null);
        double elapsed = (now - start) / 1e9;
        double done = (epoch - firstEpoch) + (double) batch / batches;
        e.put("elapsed", round(elapsed));
        e.put("eta", round(elapsed / done * (lastEpoch - firstEpoch + 1 - done)));
        lastPoint = now;
        lossSinceLast = 0;
        batchesSinceLast = 0;
        send(e);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        epochsDone = epoch;
        long now = System.nanoTime();
        double epochSeconds = (now - epochStart) / 1e9;
        double elapsed = (now - start) / 1e9;
        Map<String, Object> e = event("epoch");
        e.put("epoch", epoch);
        e.put("epochs", lastEpoch);
        e.put("logs", new LinkedHashMap<>(logs));
        e.put("epoch_seconds", round(epochSeconds));
        e.put("samples_per_second", epochSeconds > 0 ? context.trainSamples() / epochSeconds : null);
        e.put("elapsed", round(elapsed));
        int done = epoch - firstEpoch + 1;
        e.put("eta", round(elapsed / done * (lastEpoch - epoch)));
        send(e);
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        end(context.stoppedAfterBatch() ? "interrupted" : context.stopRequested() ? "stopped" : "completed", null,
                context.model().epochsDone());
    }

    /**
     * Records that training ended with an error (fit threw): a {@code train_end} event with status {@code failed};
     * nothing when training had ended already.
     */
    public void failed(String message) {
        if (begun && !ended) end("failed", message, epochsDone);
    }

    /** Records the test results after training: a {@code test} event with these fields (JSON-writable values). */
    public void test(Map<String, Object> results) {
        Map<String, Object> e = event("test");
        e.putAll(results);
        send(e);
    }

    /** Closes the sinks. */
    @Override
    public void close() {
        for (Sink sink : sinks) sink.close();
    }

    private void end(String status, String message, int epochsDone) {
        ended = true;
        Map<String, Object> e = event("train_end");
        e.put("status", status);
        if (message != null) e.put("message", message);
        e.put("epochs_done", epochsDone);
        e.put("elapsed", round((System.nanoTime() - start) / 1e9));
        send(e);
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        return e;
    }

    private void send(Map<String, Object> event) {
        String json = Json.write(finite(event));
        for (Sink sink : sinks) sink.event(json);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static double round(double seconds) {
        return Double.isFinite(seconds) ? Math.round(seconds * 1000) / 1000.0 : Double.NaN;
    }

    /** JSON has no NaN or infinity: such a number (a diverged loss) becomes null. */
    private static Object finite(Object value) {
        if (value instanceof Double d) return Double.isFinite(d) ? d : null;
        if (value instanceof Float f) return Float.isFinite(f) ? f : null;
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (var en : m.entrySet()) out.put(en.getKey(), finite(en.getValue()));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(finite(o));
            return out;
        }
        return value;
    }
}
