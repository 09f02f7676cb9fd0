package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training run writes into its model besides the network: the settings it was trained with (metadata
 * {@code training}, known before training starts, so checkpoints and a model saved on Ctrl-C carry them too), the
 * preprocessing, and the state to continue from ({@link TrainingControl#store}); and the save of an interrupted run.
 */
final class TrainingRecord {

    private TrainingRecord() {
    }

    /** The training settings (the test results are added once known). */
    static Map<String, Object> settings(Training.Settings s, String archText, Map<String, Object> architecture, Path resume,
                                        String lossName, String optimizer, double lr, int epochs, Tokenizer tokenizer,
                                        Preprocessing p, int trainSamples, int validationSamples) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", s.dataName() != null ? s.dataName() : s.data().toString());
        if (archText != null) settings.put("arch", archText);
        settings.put("architecture", architecture);
        if (resume != null) settings.put("continued_from", resume.toString());
        settings.put("loss", lossName);
        settings.put("optimizer", optimizer);
        settings.put("learning_rate", lr);
        settings.put("epochs", epochs);
        settings.put("batch_size", s.batchSize());
        settings.put("validation_split", s.validationSplit());
        settings.put("seed", s.seed());
        if (s.augment() != null) settings.put("augment", s.augment());
        if (s.table().classWeight != null) settings.put("class_weight", s.table().classWeight);
        if (s.table().sampleWeight != null) settings.put("sample_weight", s.table().sampleWeight);
        if (tokenizer != null) settings.put("text", TextReports.json(tokenizer, p));
        settings.put("train_samples", trainSamples);
        settings.put("validation_samples", validationSamples);
        return settings;
    }

    /** Puts the preprocessing, the settings and the state to continue from into the model, ready to save. */
    static void store(Model model, Preprocessing p, Map<String, Object> settings, TrainingControl control) {
        ModelMetadata.store(model, p, settings);
        control.store(model);
    }

    /**
     * Training stopped on Ctrl-C: saves the model so far (early stopping's best, put back when training ended) to
     * {@code out}, says so and where (with {@code --json} also as {@code {"interrupted": ..., "model": ...,
     * "epochs_done": N}}), and ends the command with {@link Interruption#EXIT_STATUS} (the JVM then exits with the
     * signal's status: 130 for SIGINT, 143 for SIGTERM). Test data and the plot are skipped: the user asked to stop.
     */
    static void saveInterrupted(Model model, Preprocessing p, Map<String, Object> settings, TrainingControl control,
                                Interruption interruption, Path out, boolean json, Io io) throws IOException {
        store(model, p, settings, control);
        try {
            model.save(out);
        } catch (IOException e) {
            // the shutdown's clean-up of temporary files may have taken this save's: once more
            model.save(out);
        }
        int best = control.bestEpoch();
        String what = best > 0 ? "the best model so far (epoch " + best + ", by early stopping)"
                : "the model so far (" + model.epochsDone() + " complete epoch" + (model.epochsDone() == 1 ? "" : "s") + ")";
        String line = "interrupted " + interruption.where() + ": saved " + what + " to " + out
                + "; continue with --model " + out;
        io.err().println(line);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("interrupted", line);
            o.put("model", out.toString());
            o.put("epochs_done", model.epochsDone());
            Reports.printJson(io.out(), o);
        }
        io.out().flush();
        io.err().flush();
        throw new Interruption.Stopped(line);
    }
}
