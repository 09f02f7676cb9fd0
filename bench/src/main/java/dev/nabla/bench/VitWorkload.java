package dev.nabla.bench;

import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.GlobalAveragePool1D;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.PositionEmbedding;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.optim.AdamW;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * The {@code vit} workload: a small vision transformer on Fashion-MNIST, the same recipe as {@code torch_bench.py}'s
 * {@code vit_model}:
 *
 * <pre>
 * patches:  each image as 16 patches of 7x7 (row-major patch order, pixels row-major in a patch)   [16, 49]
 * embed:    dense 49 -> 64, plus a learned position embedding                                     [16, 64]
 * block1/2: pre-norm transformer encoder blocks, 4 heads, feed-forward 128, GELU, no dropout     [16, 64]
 * pool:     mean over the 16 positions (globalavgpool1d); norm: layer norm; head: dense 10      [10]
 * </pre>
 *
 * AdamW lr 1e-3, weight decay 0.01, batch 128, 2 epochs. The patches are cut once, before training, on both sides.
 * Parameters have paths such as {@code block1.attention.query_weight}; the start file keeps them and
 * {@code torch_bench.py} maps each to PyTorch's ({@code blocks.0.self_attn.in_proj_weight}, first third).
 */
public final class VitWorkload implements Workload {

    static final int BATCH_SIZE = 128;
    static final int EPOCHS = 2;
    static final int PATCH = 7;
    static final int DIM = 64;

    @Override
    public String name() {
        return "vit";
    }

    static Sequential network() {
        return new Sequential(
                new Dense(DIM).named("embed"),
                new PositionEmbedding(16).named("position"),
                new TransformerEncoder(new TransformerEncoder.Config(4, 128, 0f, Activation.GELU, true, 1e-5f)).named("block1"),
                new TransformerEncoder(new TransformerEncoder.Config(4, 128, 0f, Activation.GELU, true, 1e-5f)).named("block2"),
                new GlobalAveragePool1D().named("pool"),
                new LayerNorm().named("norm"),
                new Dense(10).named("head"));
    }

    /** [N, 1, 28, 28] images to [N, 16, 49] patch sequences. */
    static Tensor patches(Tensor images) {
        int n = images.shape(0);
        Tensor dense = images.materialize(false);
        float[] src = dense.data();
        int base = dense.offset();
        float[] out = new float[n * 784];
        int side = 28 / PATCH;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < side * side; p++) {
                int pr = p / side;
                int pc = p % side;
                for (int r = 0; r < PATCH; r++) {
                    System.arraycopy(src, base + i * 784 + (pr * PATCH + r) * 28 + pc * PATCH, out,
                            i * 784 + p * PATCH * PATCH + r * PATCH, PATCH);
                }
            }
        }
        return Tensor.wrap(out, n, side * side, PATCH * PATCH);
    }

    @Override
    public List<String> run(int threads) throws Exception {
        // the images are let go once cut into patches: both copies would not fit the benchmark's heap
        FashionMnist.Split train = FashionMnist.train();
        Tensor trainY = train.labels();
        Tensor trainX = patches(train.images());
        train = null;
        FashionMnist.Split test = FashionMnist.test();
        Tensor testY = test.labels();
        Tensor testX = patches(test.images());
        test = null;
        Sequential net = network().seed(TrainingWorkload.SEED);
        net.build(16, PATCH * PATCH);
        return List.of(NetworkRun.train(this, threads, net,
                new NetworkRun.Settings("vit", EPOCHS, BATCH_SIZE, 1000, p -> new AdamW(p, 1e-3f, 0.01)),
                trainX, trainY, testX, testY));
    }
}
