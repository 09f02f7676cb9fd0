package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code flatten}: Flatten from axis 1, samples to vectors in row-major order as Nabla's reshape. */
final class FlattenTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        return g.op("Flatten", List.of(inputs.get(0).name()), attrs("axis", 1));
    }
}
