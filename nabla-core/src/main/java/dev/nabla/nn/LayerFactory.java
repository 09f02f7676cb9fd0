package dev.nabla.nn;

import java.util.Map;

/** Recreates a layer from the type and settings it reports ({@link Layer#type()}, {@link Layer#config()}). */
public final class LayerFactory {

    private LayerFactory() {
    }

    public static Layer create(String type, Map<String, String> config) {
        try {
            return switch (type) {
                case "dense" -> new Dense(integer(config, "units"), Activation.of(config.getOrDefault("activation", "linear")),
                        Boolean.parseBoolean(config.getOrDefault("use_bias", "true")), Initializer.torchDefault(),
                        Initializer.torchDefault());
                case "conv2d" -> new Conv2D(integer(config, "filters"), integer(config, "kernel"), integer(config, "stride"),
                        integer(config, "padding"), Activation.of(config.getOrDefault("activation", "linear")));
                case "maxpool2d" -> new MaxPool2D(integer(config, "pool"), integer(config, "stride"));
                case "avgpool2d" -> new AvgPool2D(integer(config, "pool"), integer(config, "stride"));
                case "global_avgpool" -> new GlobalAveragePool();
                case "flatten" -> new Flatten();
                case "dropout" -> new Dropout(Float.parseFloat(required(config, "rate")));
                case "batchnorm" -> new BatchNorm(Float.parseFloat(required(config, "momentum")),
                        Float.parseFloat(required(config, "epsilon")));
                case "layernorm" -> new LayerNorm(Float.parseFloat(required(config, "epsilon")));
                case "embedding" -> new Embedding(integer(config, "vocabulary"), integer(config, "dimension"));
                default -> new ActivationLayer(activationLayerType(type));
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer '" + type + "': bad setting in " + config + ": " + e.getMessage());
        }
    }

    private static Activation activationLayerType(String type) {
        try {
            return Activation.of(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown layer type '" + type + "'");
        }
    }

    private static int integer(Map<String, String> config, String key) {
        return Integer.parseInt(required(config, key));
    }

    private static String required(Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null) throw new IllegalArgumentException("layer setting '" + key + "' is missing");
        return value;
    }
}
