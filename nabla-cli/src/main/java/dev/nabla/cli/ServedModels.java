package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.serve.ServedModel;
import dev.nabla.train.Model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Models to serve with {@link dev.nabla.serve.PredictionServer}, answering with the prediction objects of
 * {@code nabla predict --json}: from a model file trained by {@code nabla train} (its preprocessing checked as
 * predict checks it), or from a model and preprocessing in memory.
 */
public final class ServedModels {

    private ServedModels() {
    }

    /**
     * The model file {@code file} under {@code name}.
     *
     * @throws UsageException when the file is missing, ModelFormatException when it is not a model predict can use
     */
    public static ServedModel load(String name, Path file) throws java.io.IOException {
        Model m = ModelMetadata.load(file, "--model");
        Preprocessing p = ModelMetadata.inputs(m, file);
        return new ServedModel(name, m, p, ModelMetadata.tokenizer(m, p, file), format(m, p));
    }

    /** {@code model} under {@code name}, its inputs read with {@code p} (and {@code model.tokenizer()} for texts). */
    public static ServedModel of(String name, Model model, Preprocessing p) {
        return new ServedModel(name, model, p, model.tokenizer(), format(model, p));
    }

    private static ServedModel.PredictionFormat format(Model m, Preprocessing p) {
        return (out, rows) -> {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object o : Predictions.json(Predictions.fromOutput(m, out, rows, p.task()), 0)) {
                @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) o;
                objects.add(map);
            }
            return objects;
        };
    }
}
