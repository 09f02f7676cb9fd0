package dev.nabla.onnx;

import dev.nabla.nn.Activation;
import dev.nabla.nn.Layer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ONNX translation of each layer type, by the type's registered name ({@link dev.nabla.nn.Layers}): a new layer
 * type is exportable with one {@link #register} call. A layer whose type has none cannot be exported, and the error
 * names it.
 */
public final class LayerTranslations {

    private static final Map<String, LayerTranslation> BY_TYPE = new ConcurrentHashMap<>();

    static {
        register("dense", new DenseTranslation());
        register("conv", new Conv2dTranslation());
        register("conv1d", new Conv1dTranslation());
        register("maxpool", new Pool2dTranslation("MaxPool"));
        register("avgpool", new Pool2dTranslation("AveragePool"));
        register("globalavgpool", new GlobalPoolTranslation("GlobalAveragePool"));
        register("globalmaxpool", new GlobalPoolTranslation("GlobalMaxPool"));
        register("globalavgpool1d", new TimePoolTranslation("ReduceMean"));
        register("globalmaxpool1d", new TimePoolTranslation("ReduceMax"));
        register("batchnorm", new BatchNormTranslation());
        register("layernorm", new LayerNormTranslation());
        register("dropout", new IdentityTranslation());
        register("flatten", new FlattenTranslation());
        register("add", MergeTranslation.add());
        register("multiply", MergeTranslation.multiply());
        register("concat", new ConcatTranslation());
        register("embedding", new EmbeddingTranslation());
        register("normalization", new NormalizationTranslation());
        register("rescaling", new RescalingTranslation());
        register("prelu", new PReluTranslation());
        register("position_embedding", new PositionCodeTranslation());
        register("sinusoidal_position", new PositionCodeTranslation());
        register("multiheadattention", new AttentionTranslation());
        register("transformerencoder", new TransformerTranslation());
        register("lstm", RecurrentTranslation.lstm());
        register("gru", RecurrentTranslation.gru());
        register("simplernn", RecurrentTranslation.rnn());
        for (Activation a : Activation.values()) {
            register(a == Activation.LINEAR ? "identity" : a.id(), new ActivationTranslation());
        }
    }

    private LayerTranslations() {
    }

    /** Makes layers of registered type {@code type} exportable; replaces an earlier translation of the type. */
    public static void register(String type, LayerTranslation translation) {
        BY_TYPE.put(type, translation);
    }

    /** The translation of {@code type}, or null. */
    public static LayerTranslation find(String type) {
        return BY_TYPE.get(type);
    }

    /** The layer types that have a translation, sorted. */
    public static List<String> types() {
        return List.copyOf(new TreeMap<>(BY_TYPE).keySet());
    }

    /** Translates one layer; a type without a translation, or settings it refuses, fail naming the layer. */
    static String translate(Layer layer, String path, List<LayerTranslation.Value> inputs, OnnxGraph g) {
        String type = layer.type();
        LayerTranslation t = BY_TYPE.get(type);
        String which = "layer '" + path + "' (" + type + ")";
        if (t == null) {
            throw new OnnxExportException(which + " cannot be exported to ONNX: no translation for layer type '" + type
                    + "' (exportable: " + String.join(", ", types()) + ")");
        }
        try {
            return t.translate(layer, inputs, g);
        } catch (OnnxExportException e) {
            throw new OnnxExportException(which + " cannot be exported to ONNX: " + e.getMessage());
        }
    }
}
