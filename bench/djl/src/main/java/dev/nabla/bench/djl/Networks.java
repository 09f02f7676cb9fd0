package dev.nabla.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;

import java.util.List;

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

    /**
     * The image's 28 rows as a sequence ([N, 28, 28], batch first), one LSTM of 128 units, dense 10 on its last hidden
     * state ({@code h_n}), as torch_bench.py's {@code lstm_model}.
     */
    static SequentialBlock lstm() {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(128).setNumLayers(1).optBatchFirst(true).optReturnState(true).build())
                .add(new LambdaBlock(out -> new NDList(out.get(1).squeeze(0)), "last_hidden"))  // [1, N, 128] -> [N, 128]
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * The lstm start file's names (PyTorch's own for the LSTM, Nabla's module paths) in the order of the DJL block's
     * parameters: its LSTM's {@code l_0_i2h_WEIGHT}, {@code l_0_h2h_WEIGHT}, {@code l_0_i2h_BIAS},
     * {@code l_0_h2h_BIAS} (PyTorch's layouts and gate order, as libtorch runs it), then the dense layer's weight
     * ([in, out] in Nabla: transposed) and bias.
     */
    static final List<String> LSTM_START = List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
            "lstm.bias_hh_l0", "fc.weight", "fc.bias");
    static final List<String> LSTM_TRANSPOSED = List.of("fc.weight");
}
