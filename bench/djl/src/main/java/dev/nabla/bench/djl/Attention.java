package dev.nabla.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention on {@code [N, T, E]}, PyTorch's {@code nn.MultiheadAttention(E, heads, batch_first=True)}
 * built from DJL primitives: DJL's own {@code ScaledDotProductAttentionBlock} is BERT's (post-norm, dropout, its own
 * parameter layout), so the four projections are {@link Linear} blocks and the heads are reshapes:
 * {@code softmax(q k^T / sqrt(E / heads)) v}, then the output projection. PyTorch's {@code in_proj_weight} is the
 * query, key and value weights stacked; Nabla keeps them apart ({@code query_weight}, ...), as this block does.
 */
final class Attention extends AbstractBlock {

    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    Attention(int embed, int heads) {
        if (embed % heads != 0) throw new IllegalArgumentException(embed + " features do not split into " + heads + " heads");
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(embed).build());
        key = addChildBlock("key", Linear.builder().setUnits(embed).build());
        value = addChildBlock("value", Linear.builder().setUnits(embed).build());
        output = addChildBlock("output", Linear.builder().setUnits(embed).build());
    }

    /** Its parameters under Nabla's names: {@code prefix.query_weight}, {@code prefix.query_bias}, ..., {@code output_bias}. */
    void name(StartNames names, String prefix) {
        names.dense(prefix + ".query_weight", prefix + ".query_bias", query)
                .dense(prefix + ".key_weight", prefix + ".key_bias", key)
                .dense(prefix + ".value_weight", prefix + ".value_bias", value)
                .dense(prefix + ".output_weight", prefix + ".output_bias", output);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape shape = inputs.singletonOrThrow().getShape();
        long n = shape.get(0);
        long t = shape.get(1);
        long e = shape.get(2);
        NDArray q = split(query.forward(ps, inputs, training), n, t, e);
        NDArray k = split(key.forward(ps, inputs, training), n, t, e);
        NDArray v = split(value.forward(ps, inputs, training), n, t, e);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt((double) e / heads)).softmax(-1);
        NDArray joined = weights.matMul(v).transpose(0, 2, 1, 3).reshape(n, t, e);       // [N, T, heads, d] -> [N, T, E]
        return output.forward(ps, new NDList(joined), training);
    }

    /** [N, T, E] to [N, heads, T, E / heads]. */
    private NDArray split(NDList projected, long n, long t, long e) {
        return projected.singletonOrThrow().reshape(n, t, heads, e / heads).transpose(0, 2, 1, 3);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) child.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
