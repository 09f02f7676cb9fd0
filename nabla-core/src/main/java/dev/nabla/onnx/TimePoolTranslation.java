package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code globalavgpool1d} / {@code globalmaxpool1d}: ReduceMean / ReduceMax over the time axis of
 * {@code [batch, time, features]}. Exported graphs carry no padding masks (see {@link EmbeddingTranslation}), so
 * every step counts.
 */
final class TimePoolTranslation implements LayerTranslation {

    private final String opType;

    TimePoolTranslation(String opType) {
        this.opType = opType;
    }

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        // opset 17: ReduceMean and ReduceMax take their axes as an attribute (an input from opset 18)
        return g.op(opType, List.of(inputs.get(0).name()), attrs("axes", new int[]{1}, "keepdims", 0));
    }
}
