package dev.nabla.onnx;

import dev.nabla.nn.Layer;

import java.util.ArrayList;
import java.util.List;

/** {@code add} (Sum, any number of inputs) and {@code multiply} (a chain of Mul). */
final class MergeTranslation implements LayerTranslation {

    private final boolean sum;

    private MergeTranslation(boolean sum) {
        this.sum = sum;
    }

    static MergeTranslation add() {
        return new MergeTranslation(true);
    }

    static MergeTranslation multiply() {
        return new MergeTranslation(false);
    }

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        List<String> names = new ArrayList<>();
        for (Value v : inputs) names.add(v.name());
        if (sum) return g.op("Sum", names, java.util.Map.of());
        String y = names.get(0);
        for (int i = 1; i < names.size(); i++) y = g.op("Mul", y, names.get(i));
        return y;
    }
}
