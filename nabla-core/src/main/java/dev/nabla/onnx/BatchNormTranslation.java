package dev.nabla.onnx;

import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code batchnorm} in inference: BatchNormalization with the running statistics (over axis 1, as Nabla's). */
final class BatchNormTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        BatchNorm.Config c = ((BatchNorm) layer).config();
        return g.op("BatchNormalization", List.of(inputs.get(0).name(),
                g.weight(Weights.of(layer, "gamma"), "batchnorm.gamma"),
                g.weight(Weights.of(layer, "beta"), "batchnorm.beta"),
                g.weight(Weights.of(layer, "running_mean"), "batchnorm.running_mean"),
                g.weight(Weights.of(layer, "running_var"), "batchnorm.running_var")), attrs("epsilon", c.epsilon()));
    }
}
