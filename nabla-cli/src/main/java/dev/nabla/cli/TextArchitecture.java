package dev.nabla.cli;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code --arch} means for text: the {@code embedding} layer's vocabulary ({@code input_dim}) is the tokenizer's,
 * so the command line fills it in and {@code embedding:64} is 64-dimensional vectors (the plain values go to the
 * other keys in order); padding (id 0) is masked ({@code padding_index=0}) where the embedding has that key. A given
 * {@code input_dim} is kept, but must cover the vocabulary.
 */
final class TextArchitecture {

    /** The registered type name of the embedding layer. */
    static final String EMBEDDING = "embedding";
    private static final String INPUT_DIM = "input_dim";
    private static final String PADDING_INDEX = "padding_index";

    private TextArchitecture() {
    }

    /** Whether a comma spec has an embedding layer. */
    static boolean mentionsEmbedding(String spec) {
        for (String t : spec.split(",", -1)) if (isEmbedding(t.split(":", -1)[0])) return true;
        return false;
    }

    /** The comma spec with every embedding token given the vocabulary (and the padding index). */
    static String fill(String spec, int vocabulary) {
        List<String> out = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String t = raw.strip();
            String[] parts = t.split(":", -1);
            if (!isEmbedding(parts[0])) {
                out.add(t);
                continue;
            }
            List<String> keys = new ArrayList<>();
            int plain = 0;
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) keys.add(parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('-', '_'));
                else plain++;
            }
            StringBuilder sb = new StringBuilder(parts[0].strip());
            if (!keys.contains(INPUT_DIM)) sb.append(':').append(INPUT_DIM).append('=').append(vocabulary);
            // one plain value is the dimension; more would reach padding_index, which then is the user's
            if (hasPaddingIndex() && !keys.contains(PADDING_INDEX) && plain <= 1) sb.append(':').append(PADDING_INDEX).append("=0");
            for (int i = 1; i < parts.length; i++) sb.append(':').append(parts[i]);
            out.add(sb.toString());
        }
        return String.join(",", out);
    }

    /** An architecture file's JSON with every embedding layer lacking {@code input_dim} given the vocabulary. */
    static Map<String, Object> fill(Map<String, Object> json, int vocabulary) {
        Map<String, Object> copy = new LinkedHashMap<>(json);
        if (!(json.get("layers") instanceof List<?> layers)) return copy;
        List<Object> filled = new ArrayList<>();
        for (Object o : layers) {
            if (o instanceof Map<?, ?> m && m.get("type") instanceof String type && isEmbedding(type)) {
                Map<String, Object> layer = new LinkedHashMap<>();
                for (var e : m.entrySet()) layer.put(String.valueOf(e.getKey()), e.getValue());
                layer.putIfAbsent(INPUT_DIM, (long) vocabulary);
                if (hasPaddingIndex()) layer.putIfAbsent(PADDING_INDEX, 0L);
                filled.add(layer);
            } else {
                filled.add(o);
            }
        }
        copy.put("layers", filled);
        return copy;
    }

    /** A usage error when an embedding given its own {@code input_dim} cannot take every id of the tokenizer. */
    static void checkVocabulary(Module network, int vocabulary) {
        if (network instanceof Embedding e && e.config().inputDim() < vocabulary) {
            throw new UsageException(ArchSpec.FLAG + ": an embedding layer has input_dim " + e.config().inputDim() + ", but the tokenizer"
                    + " gives " + vocabulary + " ids; leave input_dim out (it is the vocabulary size) or use --vocab-size "
                    + e.config().inputDim());
        }
        for (Module child : network.children().values()) checkVocabulary(child, vocabulary);
    }

    private static boolean isEmbedding(String type) {
        Registration<Layer> r = Layers.registry().find(type.strip());
        return r != null && r.name().equals(EMBEDDING);
    }

    private static boolean hasPaddingIndex() {
        Registration<Layer> r = Layers.registry().find(EMBEDDING);
        return r != null && ConfigCodec.keys(r.configType()).contains(PADDING_INDEX);
    }
}
