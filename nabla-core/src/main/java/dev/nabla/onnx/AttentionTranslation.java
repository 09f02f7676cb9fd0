package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.nn.MultiHeadAttention;
import dev.nabla.tensor.Tensor;

import java.util.List;

import static dev.nabla.onnx.OnnxGraph.attrs;

/**
 * {@code multiheadattention}, composed (opset 17 has no attention op): the query, key and value projections (MatMul,
 * Add), split into heads ({@code [batch, heads, time, d]}), {@code softmax(Q K^T / sqrt(d) + causal) V}, the heads
 * joined and the output projection. Self-attention takes one input; two or three are query and key/value. Exported
 * graphs carry no padding masks; dropout is off at inference.
 */
final class AttentionTranslation implements LayerTranslation {

    /** Adds to the scores of keys a causal query cannot see: exp of it is exactly 0 in float, as Nabla's weights. */
    private static final float HIDDEN = -1e9f;

    @Override
    public String translate(Layer layer, List<Value> inputs, OnnxGraph g) {
        MultiHeadAttention.Config c = ((MultiHeadAttention) layer).config();
        Value query = inputs.get(0);
        Value key = inputs.get(Math.min(1, inputs.size() - 1));
        Value value = inputs.get(inputs.size() - 1);
        int heads = c.numHeads();
        int d = c.keyDim() > 0 ? c.keyDim() : query.shape()[1] / heads;
        String q = split(project(layer, query.name(), "query", g), heads, d, new int[]{0, 2, 1, 3}, g);
        String kt = split(project(layer, key.name(), "key", g), heads, d, new int[]{0, 2, 3, 1}, g);
        String v = split(project(layer, value.name(), "value", g), heads, d, new int[]{0, 2, 1, 3}, g);
        String scores = g.op("Mul", g.op("MatMul", q, kt), g.scalar("attention.scale", (float) (1.0 / Math.sqrt(d))));
        if (c.causal()) {
            int tq = query.shape()[0];
            int tk = key.shape()[0];
            float[] mask = new float[tq * tk];
            for (int i = 0; i < tq; i++) for (int j = i + 1; j < tk; j++) mask[i * tk + j] = HIDDEN;
            scores = g.op("Add", scores, g.constant("attention.causal", mask, tq, tk));
        }
        String weights = g.op("Softmax", List.of(scores), attrs("axis", -1));
        String joined = g.op("Transpose", List.of(g.op("MatMul", weights, v)), attrs("perm", new int[]{0, 2, 1, 3}));
        String flat = g.op("Reshape", joined, g.constantInt64("shape", new long[]{0, 0, (long) heads * d}, 3));
        return project(layer, flat, "output", g);
    }

    private static String project(Layer layer, String x, String which, OnnxGraph g) {
        String y = g.op("MatMul", x, g.weight(Weights.of(layer, which + "_weight"), "attention." + which + "_weight"));
        Tensor bias = Weights.of(layer, which + "_bias");
        return bias == null ? y : g.op("Add", y, g.weight(bias, "attention." + which + "_bias"));
    }

    /** {@code [batch, time, heads * d]} to the heads' axes in the order {@code perm} gives. */
    private static String split(String x, int heads, int d, int[] perm, OnnxGraph g) {
        String four = g.op("Reshape", x, g.constantInt64("shape", new long[]{0, 0, heads, d}, 4));
        return g.op("Transpose", List.of(four), attrs("perm", perm));
    }
}
