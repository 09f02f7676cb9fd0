package dev.nabla.onnx;

import dev.nabla.autograd.GradMode;
import dev.nabla.nn.Layer;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * {@code position_embedding} and {@code sinusoidal_position}: each adds a code that depends on the positions only
 * ({@code x + code[0:T]}), so the code for the exported sequence length is the layer's own output on zeros, written
 * as a constant and added. The exported model takes sequences of that length.
 */
final class PositionCodeTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        int[] sample = inputs.get(0).shape();
        int[] batchOfOne = new int[sample.length + 1];
        batchOfOne[0] = 1;
        System.arraycopy(sample, 0, batchOfOne, 1, sample.length);
        Tensor code;
        try (var noGrad = GradMode.noGrad()) {
            code = layer.forward(Tensor.zeros(batchOfOne));
        }
        return g.op("Add", inputs.get(0).name(), g.constant(layer.type() + ".code", code.contiguous().toArray(), batchOfOne));
    }
}
