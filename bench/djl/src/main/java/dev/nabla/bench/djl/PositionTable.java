package dev.nabla.bench.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned position embedding added to {@code [N, T, E]}: a {@code [T, E]} table, as {@code torch_bench.py}'s
 * {@code nn.Parameter(torch.randn(T, E))} (drawn from N(0, 1) when there is no start file) and Nabla's
 * {@code PositionEmbedding} ({@code position.table}).
 */
final class PositionTable extends AbstractBlock {

    private final Parameter table;

    PositionTable(int length, int embed) {
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(length, embed)).optInitializer(new NormalInitializer(1f)).build());
    }

    Parameter table() {
        return table;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        return new NDList(x.add(ps.getValue(table, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
