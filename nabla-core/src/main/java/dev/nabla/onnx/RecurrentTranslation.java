package dev.nabla.onnx;

import dev.nabla.nn.Activation;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.SimpleRNN;
import dev.nabla.tensor.Tensor;

import java.util.List;
import java.util.Map;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code lstm}, {@code gru} and {@code simplernn}: ONNX's LSTM, GRU and RNN ops, one per stacked layer, both passes
 * of a bidirectional layer in one op. The weights are PyTorch's with the gate blocks reordered: PyTorch's LSTM is
 * {@code i, f, g, o}, ONNX's {@code i, o, f, c}; PyTorch's GRU {@code r, z, n}, ONNX's {@code z, r, h} (with
 * {@code linear_before_reset=1}, PyTorch's formula); the simple RNN's weights need no reordering. Sequences go in time-major ({@code [time, batch, features]}),
 * as every runtime supports; the outputs are put back batch-first, the passes side by side, forward first. Initial
 * states given as inputs are not exported.
 */
final class RecurrentTranslation implements LayerTranslation {

    private final String opType;
    /** For each ONNX gate block, the PyTorch block it comes from. */
    private final int[] blocks;
    /** GRU's linear_before_reset, or -1 for none. */
    private final int linearBeforeReset;
    /** RNN's activation, or null. */
    private final String activation;

    private RecurrentTranslation(String opType, int[] blocks, int linearBeforeReset, String activation) {
        this.opType = opType;
        this.blocks = blocks;
        this.linearBeforeReset = linearBeforeReset;
        this.activation = activation;
    }

    static RecurrentTranslation lstm() {
        return new RecurrentTranslation("LSTM", new int[]{0, 3, 1, 2}, -1, null);
    }

    static RecurrentTranslation gru() {
        return new RecurrentTranslation("GRU", new int[]{1, 0, 2}, 1, null);
    }

    static RecurrentTranslation rnn() {
        return new RecurrentTranslation("RNN", new int[]{0}, -1, "");
    }

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        if (inputs.size() > 1) throw new OnnxExportException("initial states given as inputs cannot be exported");
        Recurrent r = (Recurrent) layer;
        int units = r.units();
        int passes = r.direction().passes();
        String dir = switch (r.direction()) {
            case FORWARD -> "forward";
            case REVERSE -> "reverse";
            case BIDIRECTIONAL -> "bidirectional";
        };
        Map<String, Object> a = attrs("hidden_size", units, "direction", dir);
        if (linearBeforeReset >= 0) a.put("linear_before_reset", linearBeforeReset);
        if (activation != null) {
            String name = ((SimpleRNN) layer).config().activation() == Activation.RELU ? "Relu" : "Tanh";
            a.put("activations", passes == 1 ? new String[]{name} : new String[]{name, name});
        }
        Map<String, Tensor> p = layer.namedParameters();
        // [batch, time, features] -> [time, batch, features]
        String seq = g.op("Transpose", List.of(inputs.get(0).name()), attrs("perm", new int[]{1, 0, 2}));
        String lastState = null;
        for (int l = 0; p.containsKey("weight_ih_l" + l); l++) {
            String[] suffix = passes == 1 ? new String[]{"_l" + l} : new String[]{"_l" + l, "_l" + l + "_reverse"};
            String w = g.constant(layer.type() + ".W", stack(p, "weight_ih", suffix, units), dims(p.get("weight_ih" + suffix[0]), passes));
            String rw = g.constant(layer.type() + ".R", stack(p, "weight_hh", suffix, units), dims(p.get("weight_hh" + suffix[0]), passes));
            String b = g.constant(layer.type() + ".B", biases(p, suffix, units), passes, 2 * blocks.length * units);
            String[] out = g.op(opType, List.of(seq, w, rw, b), a, 2);
            // Y [time, passes, batch, units] -> [time, batch, passes * units]
            String yt = g.op("Transpose", List.of(out[0]), attrs("perm", new int[]{0, 2, 1, 3}));
            seq = g.op("Reshape", yt, g.constantInt64("shape", new long[]{0, 0, -1}, 3));
            lastState = out[1];
        }
        if (r.returnSequences()) return g.op("Transpose", List.of(seq), attrs("perm", new int[]{1, 0, 2}));
        // Y_h [passes, batch, units] -> [batch, passes * units]
        String h = g.op("Transpose", List.of(lastState), attrs("perm", new int[]{1, 0, 2}));
        return g.op("Reshape", h, g.constantInt64("shape", new long[]{0, -1}, 2));
    }

    private static int[] dims(Tensor first, int passes) {
        return new int[]{passes, first.shape(0), first.shape(1)};
    }

    /** The passes' matrices (rows in gate blocks of {@code units}) with their blocks in ONNX's order, stacked. */
    private float[] stack(Map<String, Tensor> p, String name, String[] suffix, int units) {
        int rows = p.get(name + suffix[0]).shape(0);
        int cols = p.get(name + suffix[0]).shape(1);
        float[] out = new float[suffix.length * rows * cols];
        int o = 0;
        for (String s : suffix) {
            float[] m = p.get(name + s).contiguous().toArray();
            for (int block : blocks) {
                System.arraycopy(m, block * units * cols, out, o, units * cols);
                o += units * cols;
            }
        }
        return out;
    }

    /** ONNX's B per pass: the input biases then the recurrent biases, each with its blocks reordered. */
    private float[] biases(Map<String, Tensor> p, String[] suffix, int units) {
        float[] out = new float[suffix.length * 2 * blocks.length * units];
        int o = 0;
        for (String s : suffix) {
            for (String name : new String[]{"bias_ih", "bias_hh"}) {
                float[] v = p.get(name + s).contiguous().toArray();
                for (int block : blocks) {
                    System.arraycopy(v, block * units, out, o, units);
                    o += units;
                }
            }
        }
        return out;
    }
}
