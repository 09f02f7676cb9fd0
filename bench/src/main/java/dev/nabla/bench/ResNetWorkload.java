package dev.nabla.bench;

import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.Add;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Graph;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Node;
import dev.nabla.nn.Padding;
import dev.nabla.optim.Adam;

import java.util.List;

/**
 * The {@code resnet} workload: a small residual network on Fashion-MNIST, built with the graph API (residual
 * connections need it), the same recipe as {@code torch_bench.py}'s {@code ResNet}:
 *
 * <pre>
 * stem:   conv 3x3x32 same, no bias, batchnorm, relu                  [32, 28, 28]
 * block1: conv-bn-relu-conv-bn at 32, + block input, relu             [32, 28, 28]
 * block2: the same                                                    [32, 28, 28]
 * pool:   max-pool 2                                                  [32, 14, 14]
 * widen:  conv 3x3x64 same, no bias, batchnorm, relu                  [64, 14, 14]
 * block3: residual block at 64                                        [64, 14, 14]
 * gap:    global average pool, fc: dense 10                           [10]
 * </pre>
 *
 * Adam lr 1e-3, batch 128, 1 epoch, timed and evaluated as {@link TrainingWorkload} does (the test set at batch
 * {@link #EVAL_BATCH_SIZE}). Every module is named, so parameter paths are fixed ({@code block1_conv1.weight},
 * {@code stem_bn.gamma}, {@code fc.weight}, ...): the start file keeps them and {@code torch_bench.py} maps each one to
 * its PyTorch module by explicit tables ({@code RESNET_LAYERS}, {@code RESNET_PARAMETERS}).
 */
public final class ResNetWorkload implements Workload {

    static final int BATCH_SIZE = 128;
    static final int EPOCHS = 1;
    /**
     * The test set's batch: not the other workloads' 1000, because a graph keeps every node's output until its forward
     * pass ends, and at 1000 images those are ~100 MB each (30 nodes: more than the 2 GB heap bench/run gives).
     */
    static final int EVAL_BATCH_SIZE = 250;

    @Override
    public String name() {
        return "resnet";
    }

    /** The network, seeded with {@link TrainingWorkload#SEED} at the root (weights drawn by path). */
    static Graph network() {
        Node image = Graph.input("image", 1, 28, 28);
        Node x = convBnRelu("stem", 32, image);
        x = residualBlock("block1", 32, x);
        x = residualBlock("block2", 32, x);
        x = new MaxPool2D(2).named("pool").on(x);
        x = convBnRelu("widen", 64, x);
        x = residualBlock("block3", 64, x);
        x = new GlobalAveragePool().named("gap").on(x);
        Node logits = new Dense(10).named("fc").on(x);
        Graph net = Graph.of(image, logits);
        net.seed(TrainingWorkload.SEED);
        return net;
    }

    /** A 3x3 "same" convolution without bias (the batchnorm's beta is the bias), as {@code nn.Conv2d(..., bias=False)}. */
    private static Conv2D conv3x3(int filters) {
        return new Conv2D(new Conv2D.Config(filters, new int[]{3}, Activation.LINEAR, Padding.SAME, new int[]{1},
                new int[]{1}, 1, false));
    }

    /** {@code prefix_conv}, {@code prefix_bn}, {@code prefix_relu}. */
    private static Node convBnRelu(String prefix, int filters, Node in) {
        Node conv = conv3x3(filters).named(prefix + "_conv").on(in);
        Node bn = new BatchNorm().named(prefix + "_bn").on(conv);
        return new ActivationLayer(Activation.RELU).named(prefix + "_relu").on(bn);
    }

    /** relu(bn2(conv2(relu(bn1(conv1(x))))) + x), its modules named {@code prefix_conv1}, {@code prefix_bn1}, .... */
    private static Node residualBlock(String prefix, int channels, Node in) {
        Node h = conv3x3(channels).named(prefix + "_conv1").on(in);
        h = new BatchNorm().named(prefix + "_bn1").on(h);
        h = new ActivationLayer(Activation.RELU).named(prefix + "_relu1").on(h);
        h = conv3x3(channels).named(prefix + "_conv2").on(h);
        h = new BatchNorm().named(prefix + "_bn2").on(h);
        Node sum = new Add().named(prefix + "_add").on(h, in);
        return new ActivationLayer(Activation.RELU).named(prefix + "_relu2").on(sum);
    }

    @Override
    public List<String> run(int threads) throws Exception {
        FashionMnist.Split train = FashionMnist.train();
        FashionMnist.Split test = FashionMnist.test();
        Graph net = network().build();
        return List.of(NetworkRun.train(this, threads, net,
                new NetworkRun.Settings("resnet", EPOCHS, BATCH_SIZE, EVAL_BATCH_SIZE, p -> new Adam(p, 1e-3f)),
                train.images(), train.labels(), test.images(), test.labels()));
    }
}
