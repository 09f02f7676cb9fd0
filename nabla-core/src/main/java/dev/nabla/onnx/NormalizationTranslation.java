package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.Normalization;

import java.util.Arrays;
import java.util.List;

/**
 * {@code normalization} (a table model's input standardisation): Sub the saved means, Div by the deviations, both
 * shaped to broadcast along the layer's axis, so that the exported model takes raw features.
 */
final class NormalizationTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        int[] sample = inputs.get(0).shape();
        int axis = ((Normalization) layer).config().axis();
        if (axis < 0) axis += sample.length;
        int[] dims = new int[sample.length - axis];
        Arrays.fill(dims, 1);
        dims[0] = sample[axis];
        String mean = g.constant("normalization.mean", Weights.of(layer, "mean").contiguous().toArray(), dims);
        String std = g.constant("normalization.std", Weights.of(layer, "std").contiguous().toArray(), dims);
        return g.op("Div", g.op("Sub", inputs.get(0).name(), mean), std);
    }
}
