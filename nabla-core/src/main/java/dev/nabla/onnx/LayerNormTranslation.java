package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.LayerNorm;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code layernorm}: LayerNormalization (opset 17) over the last axis. */
final class LayerNormTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        return g.op("LayerNormalization", List.of(inputs.get(0).name(),
                g.weight(Weights.of(layer, "gamma"), "layernorm.gamma"),
                g.weight(Weights.of(layer, "beta"), "layernorm.beta")),
                attrs("axis", -1, "epsilon", ((LayerNorm) layer).config().epsilon()));
    }
}
