package dev.nabla.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.norm.BatchNorm;
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
     * The resnet workload's network on [N, 1, 28, 28], as torch_bench.py's {@code resnet_model} and Nabla's
     * {@code ResNetWorkload}: stem conv 3x3x32 (same, no bias) + BN + ReLU; two residual blocks at 32; max-pool 2;
     * widen conv 3x3x64 + BN + ReLU; a residual block at 64; mean over the 14x14 positions; dense 10. Its parameters
     * go into {@code names} under Nabla's paths ({@code stem_conv.weight}, {@code block1_bn1.gamma}, {@code fc.bias}).
     * PyTorch's side runs channels-last (NHWC); DJL has no memory-format switch, so this one runs NCHW: the same
     * arithmetic in another layout.
     */
    static SequentialBlock resnet(StartNames names) {
        Conv2d stemConv = Residual.conv3x3(32);
        BatchNorm stemBn = Residual.batchNorm();
        Residual block1 = new Residual(32);
        Residual block2 = new Residual(32);
        Conv2d widenConv = Residual.conv3x3(64);
        BatchNorm widenBn = Residual.batchNorm();
        Residual block3 = new Residual(64);
        Linear fc = Linear.builder().setUnits(10).build();
        names.convolution("stem_conv", stemConv).norm("stem_bn", stemBn)
                .convolution("widen_conv", widenConv).norm("widen_bn", widenBn).dense("fc", fc);
        block1.name(names, "block1");
        block2.name(names, "block2");
        block3.name(names, "block3");
        return new SequentialBlock()
                .add(stemConv).add(stemBn).add(Activation::relu)
                .add(block1).add(block2)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                                        // 28x28 -> 14x14
                .add(widenConv).add(widenBn).add(Activation::relu)
                .add(block3)
                .add(new LambdaBlock(x -> new NDList(globalAverage(x.singletonOrThrow())), "global_average"))
                .add(fc);
    }

    /** x.mean((2, 3)) on [N, C, H, W]: DJL's PyTorch engine averages over one axis at a time, so H and W become one. */
    private static NDArray globalAverage(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[]{2});
    }

    /**
     * The vit workload's network on patch sequences [N, 16, 49], as torch_bench.py's {@code vit_model} and Nabla's
     * {@code VitWorkload}: dense 49 -> 64 plus a learned position table; two pre-norm encoder blocks (4 heads,
     * feed-forward 128, GELU, no dropout); the mean over the 16 positions; layer norm; dense 10. Its parameters go
     * into {@code names} under Nabla's paths ({@code embed.weight}, {@code position.table},
     * {@code block1.attention.query_weight}, {@code norm.gamma}, {@code head.bias}).
     */
    static SequentialBlock vit(StartNames names) {
        Linear embed = Linear.builder().setUnits(64).build();
        PositionTable position = new PositionTable(16, 64);
        PreNormEncoder block1 = new PreNormEncoder(64, 4, 128);
        PreNormEncoder block2 = new PreNormEncoder(64, 4, 128);
        LayerNorm norm = PreNormEncoder.lastAxisNorm(1);
        Linear head = Linear.builder().setUnits(10).build();
        names.dense("embed", embed).parameter("position.table", position.table()).norm("norm", norm).dense("head", head);
        block1.name(names, "block1");
        block2.name(names, "block2");
        return new SequentialBlock()
                .add(embed).add(position).add(block1).add(block2)
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().mean(new int[]{1})), "mean_over_positions"))
                .add(norm).add(head);
    }

    /**
     * [n, 784] images to [n, 16, 49] patch sequences (16 patches of 7x7 in row-major order, pixels row-major inside a
     * patch), cut once before training as on the other sides ({@code vit_patches}, {@code VitWorkload.patches}).
     */
    static MnistData.Split patches(MnistData.Split images) {
        float[] src = images.images();
        float[] out = new float[src.length];
        int n = images.size();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 16; p++) {
                int pr = p / 4;
                int pc = p % 4;
                for (int r = 0; r < 7; r++) {
                    System.arraycopy(src, i * 784 + (pr * 7 + r) * 28 + pc * 7, out, i * 784 + p * 49 + r * 7, 7);
                }
            }
        }
        return new MnistData.Split(out, images.labels());
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
