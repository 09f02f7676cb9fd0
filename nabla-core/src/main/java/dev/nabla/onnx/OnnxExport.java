package dev.nabla.onnx;

import dev.nabla.io.AtomicFiles;
import dev.nabla.nn.Graph;
import dev.nabla.nn.InferenceMode;
import dev.nabla.nn.Module;
import dev.nabla.onnx.LayerTranslation.Value;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a model as ONNX (IR version 8, opset 17, a symbolic batch axis): the whole network, its input preprocessing
 * layers included, then what {@link Model#predict} does to the outputs (softmax or sigmoid for classifiers trained on
 * logits, the target's un-scaling for regression), so the ONNX model takes the same raw inputs as {@code predict} and
 * gives the same probabilities or values.
 *
 * <pre>{@code
 * OnnxExport.write(Model.load(Path.of("model.nabla")), Path.of("model.onnx"));
 * }</pre>
 *
 * Inputs are float32 {@code [batch, ...]}, named {@code "input"} for a sequential network or as the graph's inputs;
 * the output is {@code "output"} (a graph's outputs keep their names). Each layer type is translated by its entry in
 * {@link LayerTranslations}; a layer without one fails with an {@link OnnxExportException} naming it.
 */
public final class OnnxExport {

    /** The name of a sequential network's one input and one output in the exported model. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private OnnxExport() {
    }

    /** The model as the bytes of an ONNX file. */
    public static byte[] toBytes(Model model) {
        Module network = model.network();
        OnnxGraph g = new OnnxGraph();
        List<Value> inputs = new ArrayList<>();
        for (Value v : NetworkTranslation.inputs(network)) inputs.add(new Value(g.input(v.name(), v.shape()), v.shape()));
        List<String> names = outputNames(network);
        for (String name : names) g.reserve(name);
        List<Value> outputs;
        try (var inference = InferenceMode.enter()) {
            outputs = NetworkTranslation.translate(network, "", inputs, g);
        }
        for (int i = 0; i < outputs.size(); i++) {
            String y = PredictionHeads.apply(model.loss(), outputs.get(i).name(), g);
            Model.TargetScaling s = model.targetScaling();
            if (s != null) {
                y = g.op("Add", g.op("Mul", y, g.scalar("target.std", (float) s.std())), g.scalar("target.mean", (float) s.mean()));
            }
            g.output(y, names.get(i), outputs.get(i).shape());
        }
        return g.toModel("nabla", "0.1.0");
    }

    /** {@value #OUTPUT} for a network of one output; a graph's several outputs keep their names. */
    private static List<String> outputNames(Module network) {
        if (network instanceof Graph graph && graph.outputs().size() > 1) return List.copyOf(graph.outputs().keySet());
        return List.of(OUTPUT);
    }

    /** Writes the model's ONNX file atomically: a failure leaves no file, or the earlier one, at {@code file}. */
    public static void write(Model model, Path file) throws IOException {
        AtomicFiles.write(file, toBytes(model));
    }
}
