package dev.nabla.onnx;

import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.Layer;

import java.util.List;

/** An activation layer on its own ({@code relu}, {@code gelu}, {@code identity}, ...): its function's nodes. */
final class ActivationTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        String x = inputs.get(0).name();
        String y = Activations.apply(((ActivationLayer) layer).activation(), x, g);
        return y.equals(x) ? g.op("Identity", x) : y;
    }
}
