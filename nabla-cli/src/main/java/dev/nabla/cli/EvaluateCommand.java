package dev.nabla.cli;

import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.train.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nabla evaluate}: scores a trained model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores a trained model on labelled data prepared as in training: loss and accuracy for "
                + "classification, with the ROC AUC (one-vs-rest macro average for several classes), precision, "
                + "recall, F1 and support per class and the confusion matrix; loss, mse, mae and r2 (in the label's "
                + "units) for regression."})
final class EvaluateCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by nabla train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Labelled data of the kind the model was trained on.")
    Path data;

    @Option(names = "--label", paramLabel = "NAME", description = "CSV label column (default: the one used in training).")
    String label;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the computation (default: all cores; at most 8 per core or 64, whichever is more).")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON object with the results on the last line of stdout.")
    boolean json;

    @picocli.CommandLine.Mixin
    CsvFileOptions csv = new CsvFileOptions();

    @picocli.CommandLine.Mixin
    PrecisionOptions precision = new PrecisionOptions();

    EvaluateCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        precision.chosen();
        Model m = ModelMetadata.load(model, "--model");
        Preprocessing p = ModelMetadata.inputs(m, model);
        if (m.loss() == null) throw new dev.nabla.io.ModelFormatException(model + ": has no loss, so it cannot be evaluated");
        if (label != null) {
            if (!p.kind().equals("table") && p.labelName() == null) {
                throw new UsageException("--label: the model was trained on " + (DataAccess.isText(p) ? "a folder of texts" : "images")
                        + ", which have no label column");
            }
            p = p.withLabel(label);
        }
        LoadedData d = DataAccess.loadLabelled(data, p, ModelMetadata.tokenizer(m, p, model), csv);
        Map<String, Double> scores;
        ClassificationReport report;
        try (var arithmetic = precision.open(io)) {
            scores = Evaluation.evaluate(m, d, p.task());
            report = p.task() == Task.CLASSIFICATION ? ClassificationReport.of(m, d.x(), d.y()) : null;
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>(Reports.scoresJson(scores));
            out.put("samples", d.size());
            if (report != null) out.putAll(report.json());
            Reports.printJson(io.out(), out);
        } else {
            io.out().println(model + " on " + data + ": " + Reports.scoresLine(scores, p.task(), d.size()));
            if (report != null) report.print(io.out());
        }
        return 0;
    }
}
