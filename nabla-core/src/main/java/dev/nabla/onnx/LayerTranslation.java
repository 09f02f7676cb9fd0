package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.List;

/**
 * How one layer type becomes ONNX nodes: registered by the layer's type name in {@link LayerTranslations}.
 *
 * <pre>{@code
 * LayerTranslations.register("scale", (layer, in, g) -> g.op("Mul", in.get(0).name(), g.scalar("scale", 2f)));
 * }</pre>
 */
@FunctionalInterface
public interface LayerTranslation {

    /**
     * Adds the nodes computing {@code layer} (built, in inference mode) on {@code inputs} and returns the name of
     * its output value. Throws {@link OnnxExportException} for settings ONNX cannot express.
     */
    String translate(Layer layer, List<Value> inputs, OnnxGraph graph);

    /** A value of the graph: its name and per-sample shape (the batch axis left out). */
    record Value(String name, int[] shape) {
        public Value {
            shape = shape.clone();
        }

        /** The rank with the batch axis. */
        public int rank() {
            return shape.length + 1;
        }
    }
}
