package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code globalavgpool} / {@code globalmaxpool} over channels-first samples: the ONNX op, then Flatten to {@code [batch, channels]}. */
final class GlobalPoolTranslation implements LayerTranslation {

    private final String opType;

    GlobalPoolTranslation(String opType) {
        this.opType = opType;
    }

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        return g.op("Flatten", List.of(g.op(opType, inputs.get(0).name())), attrs("axis", 1));
    }
}
