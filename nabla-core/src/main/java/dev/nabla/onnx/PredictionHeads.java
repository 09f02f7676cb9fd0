package dev.nabla.onnx;

import dev.nabla.loss.BinaryCrossEntropy;
import dev.nabla.loss.CategoricalCrossEntropy;
import dev.nabla.loss.Huber;
import dev.nabla.loss.Loss;
import dev.nabla.loss.Losses;
import dev.nabla.loss.MeanAbsoluteError;
import dev.nabla.loss.MeanSquaredError;
import dev.nabla.loss.SparseCategoricalCrossEntropy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * What {@link Loss#toPrediction} does to the network's outputs, as ONNX nodes, by the loss's registered name: softmax
 * for the cross-entropy losses (which train on logits), sigmoid for binary cross-entropy from logits, nothing for the
 * regression losses. A loss of one's own that changes its outputs for {@code predict} registers its head here.
 */
public final class PredictionHeads {

    /** Adds the nodes turning the network's output {@code x} into predictions for {@code loss}; returns their output. */
    @FunctionalInterface
    public interface Head {
        String apply(Loss loss, String x, OnnxGraph graph);
    }

    private static final Map<String, Head> BY_LOSS = new ConcurrentHashMap<>();

    static {
        Head softmax = (loss, x, g) -> g.op("Softmax", List.of(x), attrs("axis", -1));
        Head none = (loss, x, g) -> x;
        register(CategoricalCrossEntropy.NAME, softmax);
        register(SparseCategoricalCrossEntropy.NAME, softmax);
        register(BinaryCrossEntropy.NAME, (loss, x, g) -> ((BinaryCrossEntropy) loss).fromLogits() ? g.op("Sigmoid", x) : x);
        register(MeanSquaredError.NAME, none);
        register(MeanAbsoluteError.NAME, none);
        register(Huber.NAME, none);
    }

    private PredictionHeads() {
    }

    /** Registers the prediction head of the loss type {@code lossName}. */
    public static void register(String lossName, Head head) {
        BY_LOSS.put(lossName, head);
    }

    static String apply(Loss loss, String x, OnnxGraph g) {
        if (loss == null) return x;
        String name = Losses.nameOf(loss);
        Head head = BY_LOSS.get(name);
        if (head == null) {
            throw new OnnxExportException("loss '" + name + "': how predict turns the network's outputs into predictions"
                    + " has no ONNX translation (register one with PredictionHeads.register)");
        }
        return head.apply(loss, x, g);
    }
}
