package dev.nabla.cli;

import dev.nabla.data.Task;
import dev.nabla.io.Json;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.train.History;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formatting shared by the commands: result tables for people, JSON objects for programs. */
final class Reports {

    private Reports() {
    }

    /** A JSON-safe number: null for NaN and infinities (JSON has no such numbers). */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** A short human form of a number: 0.001, 1.5e-05, 12.3456. */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return String.format(Locale.ROOT, "%.3g", v);
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The history as JSON: one object per epoch with {@code epoch}, then loss, metric and their val_ forms. */
    static List<Object> historyJson(History history) {
        List<Object> out = new ArrayList<>();
        int epoch = 1;
        for (Map<String, Double> logs : history.epochs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", epoch++);
            for (var entry : logs.entrySet()) {
                if (entry.getKey().equals("lr")) continue;
                e.put(entry.getKey(), finite(entry.getValue()));
            }
            out.add(e);
        }
        return out;
    }

    /** Scores as JSON numbers (nulls where not finite), keys in order. */
    static Map<String, Object> scoresJson(Map<String, Double> scores) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : scores.entrySet()) out.put(e.getKey(), finite(e.getValue()));
        return out;
    }

    /** The JSON object of a training run (train and demo). */
    static Map<String, Object> trainJson(Training.Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", r.out().toString());
        json.put("task", r.task().id());
        json.put("task_reason", r.preprocessing().taskReason());
        json.put("classes", r.preprocessing().classes());
        if (r.model().tokenizer() != null) json.put("text", TextReports.json(r.model().tokenizer(), r.preprocessing()));
        json.put("history", historyJson(r.history()));
        if (r.test() != null) json.put("test", scoresJson(r.test()));
        json.put("seconds", round(r.seconds(), 3));
        json.put("samples_per_second", round(r.samplesPerSecond(), 1));
        json.put("train_samples", r.trainSamples());
        json.put("validation_samples", r.validationSamples());
        json.put("streamed", r.streaming() != null);
        if (r.test() != null) json.put("test_samples", r.testSamples());
        json.put("parameters", r.network().parameterCount());
        json.put("architecture", r.architecture());
        if (r.arch() != null) json.put("arch", r.arch());
        if (r.continuedFrom() != null) json.put("continued_from", r.continuedFrom().toString());
        json.put("epochs_done", r.model().epochsDone());
        json.put("loss", r.lossName());
        if (r.plot() != null) json.put("plot", r.plot().toString());
        return json;
    }

    /**
     * The layer table of a network: {@link Sequential#summary()} or {@link Graph#summary()} (with inputs); for a
     * network with the command line's preprocessing in front, a line for that and the table of the trained layers.
     */
    static String summary(Module network) {
        Module trained = ModelPreprocessing.trained(network);
        if (trained != null) {
            Module front = ((Sequential) network).layers().get(0);
            return "Preprocessing (inside the model): " + front.describe() + "\n" + summary(trained);
        }
        if (network instanceof Sequential seq) return seq.summary();
        if (network instanceof Graph graph) return graph.summary();
        return network.describe() + " (" + String.format(Locale.ROOT, "%,d", network.parameterCount()) + " parameters)\n";
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return 0;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Prints a JSON object as one line. */
    static void printJson(PrintStream out, Map<String, Object> json) {
        out.println(Json.write(json));
    }

    /**
     * The last epoch of the history as a table row: epoch, loss, metric, val_loss, val_metric. Every epoch was printed
     * once as it ended (the progress on stderr); the whole history is in {@code --json} and {@code nabla info}.
     */
    static void printHistory(PrintStream out, History history, String metric) {
        printHistory(out, history, metric, 0);
    }

    /**
     * The header and one row: epoch {@code keptEpoch} (counted from 1, marked as the one whose weights early stopping
     * kept), or the last epoch when it is 0 or outside the history.
     */
    static void printHistory(PrintStream out, History history, String metric, int keptEpoch) {
        boolean validation = !history.epochs().isEmpty() && history.last().containsKey("val_loss");
        List<String> keys = new ArrayList<>(List.of("loss", metric));
        if (validation) keys.addAll(List.of("val_loss", "val_" + metric));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%5s", "epoch"));
        for (String k : keys) header.append(String.format(Locale.ROOT, "  %12s", k));
        out.println(header);
        if (history.epochs().isEmpty()) return;
        boolean kept = keptEpoch >= 1 && keptEpoch <= history.epochs().size();
        int epoch = kept ? keptEpoch : history.epochs().size();
        Map<String, Double> logs = history.epochs().get(epoch - 1);
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d", epoch));
        for (String k : keys) row.append(String.format(Locale.ROOT, "  %12s", cell(logs.getOrDefault(k, Double.NaN), k)));
        if (kept) row.append("  (kept: best of ").append(history.epochs().size()).append(" epochs)");
        out.println(row);
    }

    private static String cell(double v, String key) {
        if (!Double.isFinite(v)) return "-";
        if (key.endsWith("accuracy")) return String.format(Locale.ROOT, "%.2f%%", 100 * v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** One line of test or evaluation results. */
    static String scoresLine(Map<String, Double> scores, Task task, int samples) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "loss %.4f", scores.get("loss")));
        if (task == Task.CLASSIFICATION) {
            sb.append(String.format(Locale.ROOT, "  accuracy %.2f%%", 100 * scores.get("accuracy")));
        } else {
            sb.append(String.format(Locale.ROOT, "  mse %s  mae %s  r2 %.4f", number(scores.get("mse")),
                    number(scores.get("mae")), scores.get("r2")));
        }
        sb.append(String.format(Locale.ROOT, "  (%,d samples)", samples));
        return sb.toString();
    }

    /** The people's report of a training run, on {@code out}. */
    static void printTraining(PrintStream out, Training.Result r) {
        out.println();
        printHistory(out, r.history(), r.metric(), r.keptEpoch());
        if (r.test() != null) out.println("test: " + scoresLine(r.test(), r.task(), r.testSamples()));
        String what = r.task() == Task.CLASSIFICATION
                ? "classification, " + r.preprocessing().numClasses() + " classes"
                : "regression of '" + r.preprocessing().labelName() + "', metrics in its units";
        String model = r.continuedFrom() != null ? r.continuedFrom() + " continued (" + r.model().epochsDone() + " epochs in all)"
                : (r.arch().isEmpty() ? "no hidden layers" : r.arch()) + " + output layer";
        out.printf(Locale.ROOT, "model: %s (%,d parameters), trained in %.1f s (%,.0f samples/s)%n",
                model, r.network().parameterCount(), r.seconds(), r.samplesPerSecond());
        out.println("task: " + r.task().id() + ", " + Printable.of(r.preprocessing().taskReason()));
        out.println("saved: " + r.out() + " (" + what + ")");
        if (r.model().tokenizer() != null) out.println("tokenizer: " + TextReports.infoLine(r.model().tokenizer()));
        if (r.plot() != null) out.println("plot: " + r.plot());
    }
}
