package dev.nabla.cli;

import dev.nabla.io.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code nabla predict --out FILE.csv}: the predictions as a CSV file (RFC 4180 quoting, UTF-8, {@code \n} line ends),
 * written whole or not at all ({@link AtomicFiles}). Columns: {@code input} (the CSV row number counted from 1 after
 * the header, the image or text file, or the literal text), then {@code label} and one {@code prob_CLASS} column per
 * class in the model's class order for a classifier, or {@code value} (in the label's units) for a regression model.
 */
final class PredictionsCsv {

    /** The header's start by which an existing file is known as one this class wrote, which may be replaced. */
    private static final String OWN_HEADER = "input,";

    private PredictionsCsv() {
    }

    /**
     * Refuses (exit 2), before any work, an {@code --out} that is one of the inputs or the model, or lies in an input
     * folder as an existing file; a folder, device, FIFO, socket or symbolic link; a file in a missing or read-only
     * folder; or an existing file that is not a predictions CSV, unless {@code force}.
     */
    static void checkOut(Path out, List<Path> inputs, Path model, boolean force) {
        if (Training.sameFile(out, model)) throw new UsageException("--out " + out + ": is the --model file, which would be overwritten");
        for (Path in : inputs) {
            boolean inside = Files.isDirectory(in) && Files.exists(out)
                    && out.toAbsolutePath().normalize().startsWith(in.toAbsolutePath().normalize());
            if (Training.sameFile(out, in) || inside) {
                throw new UsageException("--out " + out + ": is an input (" + in + "), which would be overwritten");
            }
        }
        TrainingOutputs.checkWritable(out, "--out");
        if (force || !Files.isRegularFile(out) || isPredictionsCsv(out)) return;
        throw new UsageException("--out " + out + ": exists and is not a predictions CSV written by nabla predict; choose "
                + "another name, or --force to replace it");
    }

    /** Writes the predictions; {@code classes} are the model's, ignored for regression. */
    static void write(Path out, List<Predictions.Prediction> predictions, List<String> classes, boolean regression) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("input");
        if (regression) {
            sb.append(",value");
        } else {
            sb.append(",label");
            for (String c : classes) sb.append(',').append(field("prob_" + c));
        }
        sb.append('\n');
        for (Predictions.Prediction p : predictions) {
            sb.append(field(input(p.input())));
            if (regression) {
                sb.append(',').append(number(p.value()));
            } else {
                sb.append(',').append(field(p.label()));
                Map<String, Double> byClass = new java.util.HashMap<>();
                for (var e : p.ranked()) byClass.put(e.getKey(), e.getValue());
                for (String c : classes) sb.append(',').append(number(byClass.get(c)));
            }
            sb.append('\n');
        }
        AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A CSV field: quoted when empty or when it holds a comma, a quote, a line break or spaces at an end; quotes doubled. */
    static String field(String s) {
        if (s == null) return "";
        boolean quote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String input(Object input) {
        return input instanceof DataAccess.LiteralText t ? t.text() : String.valueOf(input);
    }

    private static String number(Double v) {
        // the shortest text that reads back as the same double; NaN for a missing or non-finite value
        return v == null || !Double.isFinite(v) ? "NaN" : Double.toString(v);
    }

    private static boolean isPredictionsCsv(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && first.startsWith(OWN_HEADER) && (first.startsWith("input,label") || first.equals("input,value"));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
