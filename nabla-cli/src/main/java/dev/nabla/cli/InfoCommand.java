package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.nn.Architecture;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Shape;
import dev.nabla.train.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nabla info}: what a model file holds. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows a model file's architecture, task, classes, input, training settings and last metrics.")
final class InfoCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object instead, with \"architecture\" (what --arch takes) and \"network\".")
    boolean json;

    InfoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Model m = ModelMetadata.load(model, "--model");
        Preprocessing p = m.metadata().containsKey(ModelMetadata.PREPROCESSING) ? ModelMetadata.preprocessing(m, model) : null;
        Map<String, Object> training = ModelMetadata.training(m);
        Optimizer opt = m.optimizer();
        Map<String, Double> last = m.history().last();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model.toString());
            if (p != null) {
                out.put("task", p.task().id());
                out.put("classes", p.classes());
                out.put("input", p.kind());
                if (p.imageShape() != null) out.put("image_shape", p.imageShape());
                if (m.tokenizer() != null) out.put("text", TextReports.json(m.tokenizer(), p));
                if (!p.featureNames().isEmpty() && !DataAccess.isText(p)) out.put("features", p.featureNames());
                if (p.columns() != null) out.put("columns", p.columns().toMap().get("features"));
                if (p.labelName() != null) out.put("label", p.labelName());
            }
            out.put("parameters", m.network().parameterCount());
            if (m.loss() != null) out.put("loss", m.loss().name());
            if (opt != null) {
                out.put("optimizer", opt.name());
                out.put("learning_rate", (double) opt.learningRate());
                out.put("steps", opt.steps());
            }
            out.put("epochs", m.epochsDone());
            out.put("last_epoch", Reports.scoresJson(withoutLr(last)));
            if (!training.isEmpty()) out.put("training", training);
            // what --arch takes to train this network again, and the whole network as the model file holds it
            out.put("architecture", ArchSpec.ofSaved(m));
            out.put("network", Architecture.toJson(m.network()));
            Reports.printJson(io.out(), out);
            return 0;
        }
        PrintStream o = io.out();
        o.println("Model file:      " + model);
        if (p != null) {
            o.println("Task:            " + p.task().id() + (p.task() == Task.CLASSIFICATION
                    ? " (" + p.numClasses() + " classes: " + Training.preview(p.classes()) + ")"
                    : " of '" + p.labelName() + "'"));
            if (p.imageShape() != null) {
                int[] s = p.imageShape();
                o.printf(Locale.ROOT, "Input:           %s, %dx%d pixels, %d channel%s%n", p.kind().equals("idx") ? "IDX images" : "image folder",
                        s[2], s[1], s[0], s[0] == 1 ? "" : "s");
            } else if (DataAccess.isText(p)) {
                o.println("Input:           " + TextReports.inputLine(p));
                o.println("Tokenizer:       " + (m.tokenizer() != null ? TextReports.infoLine(m.tokenizer()) : "missing (the file has no tokenizer.json)"));
            } else {
                o.println("Input:           table of " + p.featureNames().size() + " features (" + Training.preview(p.featureNames())
                        + ")" + (p.labelName() != null ? ", label column '" + p.labelName() + "'" : "")
                        + (p.featureMean() != null || ModelPreprocessing.standardises(m) ? ", standardised" : "")
                        + (p.columns() != null && p.columns().width() != p.featureNames().size()
                        ? ", " + p.columns().width() + " inputs after encoding" : ""));
            }
        } else {
            o.println("Task:            unknown (no preprocessing metadata: not trained with 'nabla train')");
        }
        if (m.loss() != null) o.println("Loss:            " + m.loss().name() + (training.get("loss") != null ? " (--loss " + training.get("loss") + ")" : ""));
        if (opt != null) {
            o.printf(Locale.ROOT, "Optimizer:       %s, learning rate %s, %,d steps%n", opt.name(), Reports.number(opt.learningRate()), opt.steps());
        }
        o.println("Epochs trained:  " + m.epochsDone());
        if (training.get("data") != null) o.println("Trained on:      " + training.get("data"));
        Object arch = training.get("arch") != null ? training.get("arch") : training.get("model");
        if (arch instanceof String a) o.println("Architecture:    --arch " + (a.isEmpty() ? "\"\"" : a));
        if (training.get("continued_from") instanceof String from) o.println("Continued from:  " + from);
        if (!last.isEmpty()) {
            StringBuilder sb = new StringBuilder("Last epoch:     ");
            for (var e : withoutLr(last).entrySet()) sb.append(' ').append(e.getKey()).append(' ').append(Reports.number(e.getValue()));
            o.println(sb);
        }
        if (training.get("test") instanceof Map<?, ?> test) {
            StringBuilder sb = new StringBuilder("Test:           ");
            for (var e : test.entrySet()) sb.append(' ').append(e.getKey()).append(' ').append(e.getValue() instanceof Double d ? Reports.number(d) : e.getValue());
            o.println(sb);
        }
        o.println();
        o.print(Reports.summary(m.network()));
        if (m.network() instanceof Sequential seq && seq.inputShape() != null) {
            o.println("Input shape: [batch, " + Shape.str(seq.inputShape()).substring(1));
        }
        return 0;
    }

    private static Map<String, Double> withoutLr(Map<String, Double> logs) {
        Map<String, Double> out = new LinkedHashMap<>(logs);
        out.remove("lr");
        return out;
    }
}
