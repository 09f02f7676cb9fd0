package dev.nabla.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The benchmark's networks as DJL blocks, layer for layer as {@code torch_bench.py} builds them (and Nabla's
 * {@code TrainingWorkload}). Their parameters come out of {@code getParameters()} in PyTorch's
 * {@code parameters()} order (each layer's weight, then its bias), which is the start file's {@code p0, p1, ...}.
 */
final class Networks {

    private Networks() {
    }

    /** 784-256-128-10 with ReLU, on [N, 784] rows. */
    static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    /** conv 3x3x32 + ReLU, max-pool 2, conv 3x3x64 + ReLU, max-pool 2, flatten, dense 128 + ReLU, dense 10; NCHW. */
    static SequentialBlock cnn() {
        return new SequentialBlock()
                .add(conv(32)).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2)))   // 26x26 -> 13x13
                .add(conv(64)).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2)))   // 11x11 -> 5x5
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).build();
    }
}
