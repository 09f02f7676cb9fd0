package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.Arrays;
import java.util.List;

/** {@code prelu}: PRelu with one slope per channel (the first per-sample axis) or one shared slope. */
final class PReluTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        float[] alpha = Weights.of(layer, "alpha").contiguous().toArray();
        int[] sample = inputs.get(0).shape();
        int[] dims = new int[Math.max(1, sample.length)];
        Arrays.fill(dims, 1);
        dims[0] = alpha.length;
        return g.op("PRelu", inputs.get(0).name(), g.constant("prelu.alpha", alpha, dims));
    }
}
