package dev.nabla.cli;

import dev.nabla.data.CsvFormat;
import dev.nabla.data.Task;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flags of {@code nabla train} about tables and weighting: which columns are features, the task, class and
 * sample weights, and the CSV file's encoding and delimiter ({@link CsvFileOptions}).
 */
final class TableOptions {

    /** No table flags given (nabla demo). */
    static final TableOptions NONE = new TableOptions();

    @Mixin
    CsvFileOptions csv = new CsvFileOptions();

    @Option(names = "--columns", paramLabel = "A,B,...", split = ",", hideParamSyntax = true,
            description = "CSV feature columns to use (default: all but the label, --ignore and --sample-weight).")
    List<String> columns;

    @Option(names = "--ignore", paramLabel = "A,B,...", split = ",", hideParamSyntax = true, description = "CSV columns that are not features (e.g. an id).")
    List<String> ignore;

    @Option(names = "--task", paramLabel = "TASK",
            description = "classification or regression (default: from the labels: text is classes, fractions are numbers,"
                    + " whole numbers are classes when at most 10 distinct values each on 2 or more rows; the summary says why).")
    String task;

    @Option(names = "--class-weight", paramLabel = "balanced|C=W,...",
            description = "Weigh the loss by class: balanced (n_samples / (n_classes * count), as scikit-learn) or per class,"
                    + " e.g. cat=2,dog=1 (classes not named weigh 1).")
    String classWeight;

    @Option(names = "--sample-weight", paramLabel = "COLUMN",
            description = "CSV column of per-row weights (numbers >= 0; not a feature). The loss is sum(w*l)/sum(w).")
    String sampleWeight;

    CsvFormat format() {
        return csv.format();
    }

    /** {@code --task} parsed, null when not given. */
    Task task() {
        if (task == null) return null;
        String t = task.strip().toLowerCase(Locale.ROOT);
        for (Task k : Task.values()) if (k.id().equals(t)) return k;
        throw new UsageException("--task: unknown task '" + Printable.of(task) + "' (known: classification, regression)");
    }

    /** {@code --ignore} with the {@code --sample-weight} column, which is never a feature. */
    List<String> ignored() {
        if (sampleWeight == null) return ignore;
        if (columns != null && columns.stream().anyMatch(c -> c.strip().equals(sampleWeight.strip()))) {
            throw new UsageException("--sample-weight " + Printable.of(sampleWeight) + ": that column is also in --columns; weights are not a feature");
        }
        List<String> out = new ArrayList<>(ignore == null ? List.of() : ignore);
        out.add(sampleWeight.strip());
        return out;
    }

    /** Whether {@code --class-weight balanced}. */
    boolean balanced() {
        return classWeight != null && classWeight.strip().equalsIgnoreCase("balanced");
    }

    /** {@code --class-weight C=W,...} by class name (empty for none or balanced); a bad entry is a UsageException. */
    Map<String, Float> perClass() {
        Map<String, Float> out = new LinkedHashMap<>();
        if (classWeight == null || balanced()) return out;
        for (String part : classWeight.split(",")) {
            int eq = part.lastIndexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).strip();
            float w = Float.NaN;
            try {
                if (eq >= 0) w = Float.parseFloat(part.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                // reported below
            }
            if (name.isEmpty() || !(w >= 0) || !Float.isFinite(w)) {
                throw new UsageException("--class-weight: bad entry '" + Printable.of(part.strip()) + "' (give balanced, or CLASS=WEIGHT,..."
                        + " with weights >= 0, e.g. cat=2,dog=1)");
            }
            if (out.put(name, w) != null) throw new UsageException("--class-weight: class '" + Printable.of(name) + "' is given twice");
        }
        return out;
    }

    /** The first flag given that only a CSV table takes, or null. */
    String tableOnlyFlag() {
        if (columns != null) return "--columns";
        if (ignore != null) return "--ignore";
        if (sampleWeight != null) return "--sample-weight";
        return csv.anyFlag();
    }

    /** The first flag given that a continued model (--model) cannot take, or null. */
    String newModelOnlyFlag() {
        return columns != null ? "--columns" : ignore != null ? "--ignore" : task != null ? "--task" : null;
    }

    /** That the flags' values are well formed, before any data is read. */
    void check() {
        task();
        perClass();
        format();
        if (sampleWeight != null && sampleWeight.isBlank()) throw new UsageException("--sample-weight: give a column name");
    }
}
