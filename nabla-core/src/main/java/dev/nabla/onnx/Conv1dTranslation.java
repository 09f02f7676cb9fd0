package dev.nabla.onnx;

import dev.nabla.nn.Conv1D;
import dev.nabla.nn.Layer;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/** {@code conv1d}: a 1-D ONNX Conv; {@code channels_last} ({@code [time, features]}) transposes in and out. */
final class Conv1dTranslation implements LayerTranslation {

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Conv1D.Config c = ((Conv1D) layer).config();
        boolean last = c.dataFormat() == Conv1D.DataFormat.CHANNELS_LAST;
        String x = inputs.get(0).name();
        int length = inputs.get(0).shape()[last ? 0 : 1];
        if (last) x = g.op("Transpose", List.of(x), attrs("perm", new int[]{0, 2, 1}));
        int[] pads = c.padding().resolve(new int[]{length}, new int[]{c.kernelSize()}, new int[]{c.strides()},
                new int[]{c.dilationRate()});
        String y = Conv2dTranslation.conv(layer, x, g, new int[]{c.kernelSize()}, new int[]{c.strides()},
                new int[]{c.dilationRate()}, pads, c.groups());
        y = Activations.apply(c.activation(), y, g);
        return last ? g.op("Transpose", List.of(y), attrs("perm", new int[]{0, 2, 1})) : y;
    }
}
