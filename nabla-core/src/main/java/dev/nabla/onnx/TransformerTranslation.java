package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.TransformerEncoder;

import java.util.List;
import java.util.Map;

/**
 * {@code transformerencoder}: its own layers' translations (attention, the two dense layers, the two layer norms;
 * dropout is off at inference) wired as the block wires them, residuals included, post-norm or with
 * {@code norm_first}.
 */
final class TransformerTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Map<String, ?> parts = layer.children();
        Value x = inputs.get(0);
        boolean normFirst = ((TransformerEncoder) layer).config().normFirst();
        if (normFirst) {
            Value a = part(parts, "norm1", x, g);
            Value h = new Value(g.op("Add", x.name(), part(parts, "attention", a, g).name()), x.shape());
            return g.op("Add", h.name(), feedForward(parts, part(parts, "norm2", h, g), g).name());
        }
        Value h = part(parts, "norm1", new Value(g.op("Add", x.name(), part(parts, "attention", x, g).name()), x.shape()), g);
        return part(parts, "norm2", new Value(g.op("Add", h.name(), feedForward(parts, h, g).name()), x.shape()), g).name();
    }

    private static Value feedForward(Map<String, ?> parts, Value x, OnnxGraph g) {
        return part(parts, "dense2", part(parts, "dense1", x, g), g);
    }

    private static Value part(Map<String, ?> parts, String name, Value x, OnnxGraph g) {
        Layer child = (Layer) parts.get(name);
        String out = LayerTranslations.find(child.type()).translate(child, List.of(x), g);
        return new Value(out, child.outputShape(x.shape()));
    }
}
