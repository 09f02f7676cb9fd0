package dev.nabla.io;

import dev.nabla.config.ConfigCodec;
import dev.nabla.loss.BinaryCrossEntropy;
import dev.nabla.loss.Loss;
import dev.nabla.loss.Losses;
import dev.nabla.metrics.Metric;
import dev.nabla.metrics.Metrics;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code Model.compile} was given, as {@code model.json} holds it: the loss, the metrics and the optimizer's
 * settings (its state lives in {@code optimizer.safetensors}). Format 2 writes each as its registered type and typed
 * configuration:
 *
 * <pre>{@code
 * "loss": {"type": "sparse_categorical_crossentropy", "reduction": "mean", "label_smoothing": 0.0},
 * "metrics": [{"type": "accuracy", "from_logits": false}, {"type": "top_k_accuracy", "k": 2}],
 * "optimizer": {"type": "adam", "learning_rate": 0.001, "beta1": 0.9, ..., "amsgrad": false, "steps": 120}
 * }</pre>
 *
 * Format 1 (release 0.1.0) stored names and text or number maps ({@code {"name": "huber", "config": {"delta": "0.5",
 * "reduction": "MEAN"}}}, metric names, {@code {"name": "adam", "learning_rate": ..., "hyperparameters": {...},
 * "steps": N}}); those are still read, through the adapters the registries keep for them.
 */
final class CompileSettings {

    private static final String TYPE = "type";
    private static final String STEPS = "steps";

    private CompileSettings() {
    }

    static Map<String, Object> write(Loss loss) {
        return typed(Losses.nameOf(loss), loss.config());
    }

    static List<Object> write(List<Metric> metrics) {
        List<Object> out = new ArrayList<>();
        for (Metric m : metrics) out.add(typed(Metrics.nameOf(m), m.config()));
        return out;
    }

    static Map<String, Object> write(Optimizer optimizer) {
        Map<String, Object> o = typed(Optimizers.nameOf(optimizer), optimizer.config());
        o.put(STEPS, optimizer.steps());
        return o;
    }

    private static Map<String, Object> typed(String type, Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(TYPE, type);
        out.putAll(ConfigCodec.encode(config));
        return out;
    }

    static Loss readLoss(Object json, int formatVersion) {
        Map<String, Object> l = Json.asObject(json, "loss");
        if (formatVersion == 1) {
            Map<String, String> config = new LinkedHashMap<>();
            for (var e : Json.asObject(l.get("config"), "loss.config").entrySet()) config.put(e.getKey(), String.valueOf(e.getValue()));
            return Losses.create(Json.asString(l.get("name"), "loss.name"), config);
        }
        return Losses.create(Json.asString(l.get(TYPE), "loss.type"), l, Set.of(TYPE), "loss");
    }

    /** The metrics; format 1 stored only names, and its binary metrics read logits exactly when the loss did. */
    static List<Metric> readMetrics(Object json, int formatVersion, Loss loss) {
        List<Object> list = Json.asArray(json, "metrics");
        List<Metric> out = new ArrayList<>();
        boolean binaryFromLogits = loss instanceof BinaryCrossEntropy b && b.fromLogits();
        for (int i = 0; i < list.size(); i++) {
            String where = "metrics[" + i + "]";
            if (formatVersion == 1) {
                out.add(Metrics.create(Json.asString(list.get(i), where), binaryFromLogits));
            } else {
                Map<String, Object> m = Json.asObject(list.get(i), where);
                out.add(Metrics.create(Json.asString(m.get(TYPE), where + ".type"), m, Set.of(TYPE), where));
            }
        }
        return out;
    }

    /** The optimizer over {@code parameters}, with fresh state; its saved step count is {@link #steps}. */
    static Optimizer readOptimizer(Object json, int formatVersion, List<Tensor> parameters) {
        Map<String, Object> o = Json.asObject(json, "optimizer");
        if (formatVersion == 1) {
            Map<String, Double> hyper = new LinkedHashMap<>();
            for (var e : Json.asObject(o.get("hyperparameters"), "optimizer.hyperparameters").entrySet()) {
                hyper.put(e.getKey(), Json.asDouble(e.getValue(), "optimizer." + e.getKey()));
            }
            float lr = (float) Json.asDouble(o.get("learning_rate"), "optimizer.learning_rate");
            return Optimizers.create(Json.asString(o.get("name"), "optimizer.name"), parameters, lr, hyper);
        }
        return Optimizers.factory(Json.asString(o.get(TYPE), "optimizer.type"), o, Set.of(TYPE, STEPS), "optimizer")
                .create(parameters);
    }

    /** The optimizer's saved step count (the same key in both formats). */
    static long steps(Object json) {
        return Json.asLong(Json.asObject(json, "optimizer").get(STEPS), "optimizer.steps");
    }
}
