package dev.nabla.onnx;

import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Layer;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code conv}: ONNX Conv, whose weight layout {@code [filters, channels / groups, kh, kw]} is Nabla's; the padding
 * is resolved for the input's size ({@code same} included) into explicit pads.
 */
final class Conv2dTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Conv2D.Config c = ((Conv2D) layer).config();
        int[] in = inputs.get(0).shape();
        int[] p = c.padding().resolve(new int[]{in[1], in[2]}, c.kernelSize(), c.strides(), c.dilationRate());
        // Nabla's pads are [top, bottom, left, right]; ONNX's [top, left, bottom, right]
        int[] pads = {p[0], p[2], p[1], p[3]};
        String y = conv(layer, inputs.get(0).name(), g, c.kernelSize(), c.strides(), c.dilationRate(), pads, c.groups());
        return Activations.apply(c.activation(), y, g);
    }

    /** A Conv node with the layer's {@code weight} and {@code bias}. */
    static String conv(Layer layer, String x, OnnxGraph g, int[] kernel, int[] strides, int[] dilations, int[] pads, int groups) {
        List<String> in = new ArrayList<>(List.of(x, g.weight(Weights.of(layer, "weight"), layer.type() + ".weight")));
        Tensor bias = Weights.of(layer, "bias");
        if (bias != null) in.add(g.weight(bias, layer.type() + ".bias"));
        return g.op("Conv", in, attrs("kernel_shape", kernel, "strides", strides, "dilations", dilations, "pads", pads,
                "group", groups));
    }
}
