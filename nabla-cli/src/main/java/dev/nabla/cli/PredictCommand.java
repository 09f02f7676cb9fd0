package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.train.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nabla predict}: class probabilities (or values) for new inputs. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts with a trained model: the most likely classes with their probabilities, or the "
                + "predicted number for regression models.",
                "INPUT: image files or folders of images for image models; one CSV file of feature rows for table "
                        + "models (the label column may be absent); for text models .txt files, folders of them, or CSV "
                        + "files with the model's text column, and literal texts with --text."})
final class PredictCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by nabla train.")
    Path model;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Image files or folders, one CSV file, or text files.")
    List<Path> inputs = new java.util.ArrayList<>();

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to classify (text models; repeatable).")
    List<String> texts = new java.util.ArrayList<>();

    @Option(names = "--top", paramLabel = "K", description = "Show the K most likely classes (default: 3, or all if "
            + "fewer); with --json, all classes unless --top is given.")
    Integer top;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the computation (default: all cores; at most 8 per core or 64, whichever is more).")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON object with the predictions on the last line of stdout.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Write the predictions to this CSV file: input, "
            + "label and one prob_CLASS column per class (value for regression models), instead of printing them (--json "
            + "still prints them). Never replaces an input or the model, nor an existing file other than a predictions "
            + "CSV unless --force.")
    Path out;

    @Option(names = "--force", description = "Let --out replace an existing file that is not a predictions CSV.")
    boolean force;

    @picocli.CommandLine.Mixin
    CsvFileOptions csv = new CsvFileOptions();

    @picocli.CommandLine.Mixin
    PrecisionOptions precision = new PrecisionOptions();

    PredictCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        precision.chosen();
        if (top != null && top < 1) throw new UsageException("--top: must be at least 1, got " + top);
        if (csv.query != null) throw new UsageException("--query: predict reads CSV files of rows, not databases, so far");
        if (out != null) PredictionsCsv.checkOut(out, inputs, model, force);
        Model m = ModelMetadata.load(model, "--model");
        Preprocessing p = ModelMetadata.inputs(m, model);
        DataAccess.Inputs in;
        if (DataAccess.isText(p)) {
            in = DataAccess.loadTexts(texts, inputs, p, ModelMetadata.tokenizer(m, p, model));
        } else {
            if (!texts.isEmpty()) throw new UsageException("--text: the model was trained on " + (p.kind().equals("table") ? "a table" : "images") + ", not on texts");
            in = DataAccess.loadInputs(inputs, p, csv.format());
        }
        List<Predictions.Prediction> predictions;
        try (var arithmetic = precision.open(io)) {
            predictions = Predictions.predict(m, in.x(), in.names(), p.task());
        }
        if (out != null) PredictionsCsv.write(out, predictions, m.classNames(), p.task() == Task.REGRESSION);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("predictions", Predictions.json(predictions, top == null ? 0 : top));
            if (out != null) result.put("out", out.toString());
            Reports.printJson(io.out(), result);
        } else if (out != null) {
            io.out().printf(java.util.Locale.ROOT, "wrote %,d predictions to %s%n", predictions.size(), Printable.of(out.toString()));
        } else {
            Predictions.print(io.out(), predictions, top == null ? 3 : top);
        }
        return 0;
    }
}
