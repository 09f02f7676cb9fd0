package dev.nabla.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The resnet workload's residual block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + x)}, 3x3 "same" convolutions
 * without bias and batch norms (PyTorch's momentum 0.1, which is DJL's 0.9, and epsilon 1e-5), as
 * {@code torch_bench.py}'s {@code ResidualBlock} and Nabla's {@code ResNetWorkload.residualBlock}.
 */
final class Residual extends AbstractBlock {

    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;

    Residual(int channels) {
        conv1 = addChildBlock("conv1", conv3x3(channels));
        bn1 = addChildBlock("bn1", batchNorm());
        conv2 = addChildBlock("conv2", conv3x3(channels));
        bn2 = addChildBlock("bn2", batchNorm());
    }

    /** nn.Conv2d(c, c, 3, padding=1, bias=False). */
    static Conv2d conv3x3(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false)
                .setFilters(filters).build();
    }

    /** nn.BatchNorm2d: DJL's momentum is the weight of the old running average (PyTorch's 0.1 is DJL's 0.9). */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }

    /** Its parameters under Nabla's names: {@code prefix_conv1.weight}, {@code prefix_bn1.gamma}, .... */
    void name(StartNames names, String prefix) {
        names.convolution(prefix + "_conv1", conv1).norm(prefix + "_bn1", bn1)
                .convolution(prefix + "_conv2", conv2).norm(prefix + "_bn2", bn2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList h = conv1.forward(ps, inputs, training);
        h = Activation.relu(bn1.forward(ps, h, training));
        h = bn2.forward(ps, conv2.forward(ps, h, training), training);
        return new NDList(Activation.relu(h.singletonOrThrow().add(x)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // "same" convolutions at the block's width: every child sees the input's shape
        for (var child : getChildren().values()) child.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
