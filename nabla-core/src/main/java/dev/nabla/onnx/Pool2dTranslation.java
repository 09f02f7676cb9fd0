package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.Pooling2D;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code maxpool} and {@code avgpool}: ONNX MaxPool / AveragePool with the resolved padding; average pooling counts
 * padding as zeros ({@code count_include_pad=1}), as Nabla and PyTorch do.
 */
final class Pool2dTranslation implements LayerTranslation {

    private final String opType;

    Pool2dTranslation(String opType) {
        this.opType = opType;
    }

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        Pooling2D.Settings s = (Pooling2D.Settings) layer.config();
        int[] kernel = pair(s.poolSize());
        int[] stride = s.strides() == null ? kernel : pair(s.strides());
        int[] in = inputs.get(0).shape();
        int[] p = s.padding().resolve(new int[]{in[1], in[2]}, kernel, stride, new int[]{1, 1});
        int[] pads = {p[0], p[2], p[1], p[3]};
        var a = attrs("kernel_shape", kernel, "strides", stride, "pads", pads);
        if (opType.equals("AveragePool")) a.put("count_include_pad", 1);
        return g.op(opType, List.of(inputs.get(0).name()), a);
    }

    private static int[] pair(int[] v) {
        return v.length == 1 ? new int[]{v[0], v[0]} : v.clone();
    }
}
