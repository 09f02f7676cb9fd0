package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A residual block as the resnet benchmark builds it (conv, batchnorm, ReLU, conv, batchnorm, the block's input added,
 * ReLU): the graph runs batchnorm+ReLU and add+ReLU as one op each, and its outputs, gradients and running averages must be, float for
 * float, those of the same modules run one node at a time.
 */
class ResidualFusionTest {

    private static Graph block() {
        Node in = Graph.input("x", 4, 6, 6);
        Node h = conv(in);
        h = new BatchNorm().on(h);
        h = new ActivationLayer(Activation.RELU).on(h);
        h = new BatchNorm().on(conv(h));
        Node sum = new Add().on(h, in);
        Node out = new ActivationLayer(Activation.RELU).on(sum);
        return Graph.of(in, out).seed(3).build();
    }

    private static Node conv(Node in) {
        return new Conv2D(new Conv2D.Config(4, new int[]{3}, Activation.LINEAR, Padding.SAME, new int[]{1},
                new int[]{1}, 1, false)).on(in);
    }

    @Test
    void fusedBlockGivesWhatTheNodesGiveOneByOne() {
        for (boolean training : new boolean[]{true, false}) {
            Graph fused = block();
            Graph plain = block();
            fused.train(training);
            plain.train(training);
            Tensor x = Tensor.uniform(new SplittableRandom(5), -1, 1, 5, 4, 6, 6);
            Tensor upstream = Tensor.uniform(new SplittableRandom(6), -1, 1, 5, 4, 6, 6);
            Tensor xf = x.detach().requiresGrad(true);
            Tensor xp = x.detach().requiresGrad(true);

            Tensor yf = fused.forward(xf);
            Tensor yp = oneByOne(plain, xp);
            assertArrayEquals(yp.toArray(), yf.toArray(), "output, training=" + training);
            yf.mul(upstream).sum().backward();
            yp.mul(upstream).sum().backward();
            assertArrayEquals(xp.grad().toArray(), xf.grad().toArray(), "input gradient");
            List<Tensor> pf = fused.parameters();
            List<Tensor> pp = plain.parameters();
            for (int i = 0; i < pf.size(); i++) {
                assertArrayEquals(pp.get(i).grad().toArray(), pf.get(i).grad().toArray(), "parameter gradient " + i);
            }
            var bf = fused.namedBuffers();
            var bp = plain.namedBuffers();
            for (String name : bf.keySet()) {
                assertArrayEquals(bp.get(name).toArray(), bf.get(name).toArray(), "buffer " + name);
            }
            assertEquals("batchnorm+relu", fusionAt(fused, 1));
            assertEquals("add+relu", fusionAt(fused, 5));
        }
    }

    /** The name of the fusion a graph's plan finds for nodes {@code i} and {@code i + 1}, or null. */
    private static String fusionAt(Graph g, int i) {
        Fusion f = Fusions.find(g.nodes().get(i).module(), g.nodes().get(i + 1).module());
        return f == null ? null : f.name();
    }

    /** Each node's module on its own: no fusion. */
    private static Tensor oneByOne(Graph g, Tensor x) {
        Map<Node, Tensor> values = new IdentityHashMap<>();
        values.put(g.inputs().get(0), x);
        Tensor last = null;
        for (Node n : g.nodes()) {
            List<Tensor> args = new ArrayList<>();
            for (Node in : n.inputs()) args.add(values.get(in));
            last = n.module().forward(args);
            values.put(n, last);
        }
        return last;
    }
}
