package dev.nabla.optim;

import dev.nabla.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Optimizers by name, with PyTorch's defaults for whatever is not given (used by saved models and the CLI). */
public final class Optimizers {

    private Optimizers() {
    }

    /**
     * Creates the named optimizer: {@code sgd}, {@code momentum} (SGD with momentum 0.9), {@code adam}, {@code adamw},
     * {@code rmsprop} or {@code adagrad}; {@code hyperparameters} as {@link Optimizer#hyperparameters()} reports them.
     */
    public static Optimizer create(String name, List<Tensor> params, float learningRate, Map<String, Double> hyperparameters) {
        Map<String, Double> h = hyperparameters == null ? Map.of() : hyperparameters;
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(params, learningRate, h.getOrDefault("momentum", 0.0), h.getOrDefault("dampening", 0.0),
                    h.getOrDefault("weight_decay", 0.0), h.getOrDefault("nesterov", 0.0) != 0);
            case "momentum" -> new Sgd(params, learningRate, h.getOrDefault("momentum", 0.9), 0, h.getOrDefault("weight_decay", 0.0),
                    h.getOrDefault("nesterov", 0.0) != 0);
            case "adam" -> new Adam(params, learningRate, h.getOrDefault("beta1", 0.9), h.getOrDefault("beta2", 0.999),
                    h.getOrDefault("eps", 1e-8), h.getOrDefault("weight_decay", 0.0), h.getOrDefault("amsgrad", 0.0) != 0);
            case "adamw" -> new AdamW(params, learningRate, h.getOrDefault("beta1", 0.9), h.getOrDefault("beta2", 0.999),
                    h.getOrDefault("eps", 1e-8), h.getOrDefault("weight_decay", 0.01), h.getOrDefault("amsgrad", 0.0) != 0);
            case "rmsprop" -> new RmsProp(params, learningRate, h.getOrDefault("alpha", 0.99), h.getOrDefault("eps", 1e-8),
                    h.getOrDefault("weight_decay", 0.0), h.getOrDefault("momentum", 0.0), h.getOrDefault("centered", 0.0) != 0);
            case "adagrad" -> new Adagrad(params, learningRate, h.getOrDefault("lr_decay", 0.0), h.getOrDefault("weight_decay", 0.0),
                    h.getOrDefault("initial_accumulator_value", 0.0), h.getOrDefault("eps", 1e-10));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "' (known: sgd, momentum, adam, adamw, rmsprop, adagrad)");
        };
    }

    /** A factory for {@link #create} with default hyperparameters. */
    public static OptimizerFactory named(String name, float learningRate) {
        create(name, List.of(), learningRate, Map.of());
        return params -> create(name, params, learningRate, Map.of());
    }

    /** PyTorch's default learning rate for the named optimizer (Adam family 1e-3, RMSprop and Adagrad 1e-2, SGD 1e-2). */
    public static float defaultLearningRate(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "adam", "adamw" -> 1e-3f;
            default -> 1e-2f;
        };
    }
}
