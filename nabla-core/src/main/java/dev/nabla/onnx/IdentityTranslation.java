package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.List;

/** Layers that pass their input on at inference ({@code dropout}): Identity. */
final class IdentityTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        return g.op("Identity", inputs.get(0).name());
    }
}
