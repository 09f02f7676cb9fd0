package dev.nabla.io;

import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.AvgPool2D;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Initializer;
import dev.nabla.nn.Layer;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code "architecture"} of format-1 model files (release 0.1.0): a Sequential whose layers have string
 * settings under {@code "config"} and the old type names ({@code conv2d}, {@code maxpool2d}, {@code global_avgpool}).
 * Kept as it was written, so old files load and predict exactly as before.
 */
final class V1Architecture {

    private V1Architecture() {
    }

    static Sequential read(Map<String, Object> arch) {
        String type = Json.asString(arch.get("type"), "architecture.type");
        if (!type.equals("sequential")) {
            throw new JsonException("holds a custom network (" + arch.get("class") + "); create that network in code and use ModelFile.loadInto");
        }
        Sequential network = new Sequential();
        List<Object> layers = Json.asArray(arch.get("layers"), "architecture.layers");
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = Json.asObject(layers.get(i), "layer " + i);
            Map<String, String> config = new LinkedHashMap<>();
            for (var e : Json.asObject(l.get("config"), "layer " + i + " config").entrySet()) config.put(e.getKey(), String.valueOf(e.getValue()));
            String layerType = Json.asString(l.get("type"), "layer " + i + " type");
            try {
                network.add(layer(layerType, config));
            } catch (IllegalArgumentException e) {
                throw new JsonException("layer " + i + " (" + layerType + "): " + e.getMessage());
            }
        }
        network.seed(Json.asLong(arch.get("seed"), "architecture.seed"));
        Object inputShape = arch.get("input_shape");
        if (inputShape != null) {
            List<Object> dims = Json.asArray(inputShape, "architecture.input_shape");
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = (int) Json.asLong(dims.get(i), "architecture.input_shape", 1, Integer.MAX_VALUE);
            network.build(shape);
        }
        return network;
    }

    private static Layer layer(String type, Map<String, String> c) {
        return switch (type) {
            case "dense" -> new Dense(integer(c, "units"), Activation.of(c.getOrDefault("activation", "linear")),
                    Boolean.parseBoolean(c.getOrDefault("use_bias", "true")), Initializer.torchDefault(), Initializer.torchDefault());
            case "conv2d" -> new Conv2D(integer(c, "filters"), integer(c, "kernel"), integer(c, "stride"),
                    integer(c, "padding"), Activation.of(c.getOrDefault("activation", "linear")));
            case "maxpool2d" -> new MaxPool2D(integer(c, "pool"), integer(c, "stride"));
            case "avgpool2d" -> new AvgPool2D(integer(c, "pool"), integer(c, "stride"));
            case "global_avgpool" -> new GlobalAveragePool();
            case "flatten" -> new Flatten();
            case "dropout" -> new Dropout(Float.parseFloat(required(c, "rate")));
            case "batchnorm" -> new BatchNorm(Float.parseFloat(required(c, "momentum")), Float.parseFloat(required(c, "epsilon")));
            case "layernorm" -> new LayerNorm(Float.parseFloat(required(c, "epsilon")));
            case "embedding" -> new Embedding(integer(c, "vocabulary"), integer(c, "dimension"));
            default -> new ActivationLayer(activation(type));
        };
    }

    private static Activation activation(String type) {
        try {
            return Activation.of(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown layer type '" + type + "'");
        }
    }

    private static int integer(Map<String, String> c, String key) {
        return Integer.parseInt(required(c, key));
    }

    private static String required(Map<String, String> c, String key) {
        String value = c.get(key);
        if (value == null) throw new IllegalArgumentException("layer setting '" + key + "' is missing");
        return value;
    }
}
