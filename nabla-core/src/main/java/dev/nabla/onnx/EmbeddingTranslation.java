package dev.nabla.onnx;

import dev.nabla.nn.Embedding;
import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code embedding}: the float token ids Cast to int64, then Gather from the table. An embedding with a
 * {@code padding_index} starts a padding mask that later layers honour (pooling, recurrent layers, attention), which
 * an exported graph does not carry: it is refused rather than exported with other results.
 */
final class EmbeddingTranslation implements LayerTranslation {

    private static final int INT64 = 7;

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        if (((Embedding) layer).config().paddingIndex() >= 0) {
            throw new OnnxExportException("padding_index: the padding mask it starts cannot be exported to ONNX");
        }
        String ids = g.op("Cast", List.of(inputs.get(0).name()), attrs("to", INT64));
        return g.op("Gather", List.of(g.weight(Weights.of(layer, "table"), "embedding.table"), ids), attrs("axis", 0));
    }
}
