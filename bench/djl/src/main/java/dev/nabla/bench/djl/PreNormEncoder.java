package dev.nabla.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm transformer encoder block on {@code [N, T, E]} without dropout, PyTorch's
 * {@code nn.TransformerEncoderLayer(E, heads, ff, dropout=0, activation="gelu", batch_first=True, norm_first=True)}
 * and Nabla's {@code TransformerEncoder} with {@code normFirst}: {@code x = x + attention(norm1(x))},
 * {@code x = x + dense2(gelu(dense1(norm2(x))))}; GELU in its exact (erf) form, layer norms with epsilon 1e-5 over the
 * last axis. DJL's {@code TransformerEncoderBlock} is post-norm with dropout, hence this one.
 */
final class PreNormEncoder extends AbstractBlock {

    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm norm2;
    private final Linear dense1;
    private final Linear dense2;

    PreNormEncoder(int embed, int heads, int ff) {
        norm1 = addChildBlock("norm1", lastAxisNorm(2));
        attention = addChildBlock("attention", new Attention(embed, heads));
        norm2 = addChildBlock("norm2", lastAxisNorm(2));
        dense1 = addChildBlock("dense1", Linear.builder().setUnits(ff).build());
        dense2 = addChildBlock("dense2", Linear.builder().setUnits(embed).build());
    }

    /** nn.LayerNorm(E) on inputs whose last axis is {@code axis} (DJL's default normalizes all but the batch axis). */
    static LayerNorm lastAxisNorm(int axis) {
        return LayerNorm.builder().axis(axis).optEpsilon(1e-5f).build();
    }

    /** Its parameters under Nabla's names ({@code prefix.norm1.gamma}, {@code prefix.attention.query_weight}, ...). */
    void name(StartNames names, String prefix) {
        names.norm(prefix + ".norm1", norm1).norm(prefix + ".norm2", norm2)
                .dense(prefix + ".dense1", dense1).dense(prefix + ".dense2", dense2);
        attention.name(names, prefix + ".attention");
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = x.add(attention.forward(ps, norm1.forward(ps, inputs, training), training).singletonOrThrow());
        NDList h = dense1.forward(ps, norm2.forward(ps, new NDList(x), training), training);
        h = dense2.forward(ps, new NDList(Activation.gelu(h.singletonOrThrow())), training);
        return new NDList(x.add(h.singletonOrThrow()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm1.initialize(manager, dataType, inputShapes);
        attention.initialize(manager, dataType, inputShapes);
        norm2.initialize(manager, dataType, inputShapes);
        dense1.initialize(manager, dataType, inputShapes);
        dense2.initialize(manager, dataType, dense1.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
