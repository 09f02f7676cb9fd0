package dev.nabla.onnx;

import dev.nabla.nn.Concat;
import dev.nabla.nn.Layer;

import java.util.ArrayList;
import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code concat}: Concat along the per-sample axis (one more with the batch axis in front). */
final class ConcatTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        int rank = inputs.get(0).shape().length;
        int axis = ((Concat) layer).config().axis();
        if (axis < 0) axis += rank;
        List<String> names = new ArrayList<>();
        for (Value v : inputs) names.add(v.name());
        return g.op("Concat", names, attrs("axis", axis + 1));
    }
}
