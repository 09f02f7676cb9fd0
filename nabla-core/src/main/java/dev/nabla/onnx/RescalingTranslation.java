package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.Rescaling;

import java.util.List;

/** {@code rescaling} (an image model's pixel scaling): {@code x * scale + offset}. */
final class RescalingTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Rescaling.Config c = ((Rescaling) layer).config();
        String y = g.op("Mul", inputs.get(0).name(), g.scalar("rescaling.scale", (float) c.scale()));
        return g.op("Add", y, g.scalar("rescaling.offset", (float) c.offset()));
    }
}
