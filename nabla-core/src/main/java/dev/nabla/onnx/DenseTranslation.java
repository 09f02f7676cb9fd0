package dev.nabla.onnx;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Layer;

import java.util.List;

/** {@code dense}: MatMul by the {@code [in, units]} weight (over the last axis, any rank), Add the bias, the activation. */
final class DenseTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Dense dense = (Dense) layer;
        String y = g.op("MatMul", inputs.get(0).name(), g.weight(dense.weight(), "dense.weight"));
        if (dense.bias() != null) y = g.op("Add", y, g.weight(dense.bias(), "dense.bias"));
        return Activations.apply(dense.config().activation(), y, g);
    }
}
