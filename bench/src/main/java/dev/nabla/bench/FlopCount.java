package dev.nabla.bench;

import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Graph;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.Module;
import dev.nabla.nn.MultiHeadAttention;
import dev.nabla.nn.Node;
import dev.nabla.nn.PositionEmbedding;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floating-point work of one sample through a built network, counted from its layers (not typed per workload), for
 * the benchmark's achieved GFLOP/s and fraction of peak.
 *
 * <p>Counted: the multiply-adds of the matrix products and convolutions, one multiply-add = 2 FLOPs: dense layers
 * ({@code positions x in x out}), convolutions ({@code output positions x filters x in/groups x kh x kw}), recurrent
 * layers (every step's input and state products, {@code time x gates*units x (features + units)} per layer and
 * direction), attention (the query, key, value and output projections, and {@code QK^T} and {@code AV},
 * {@code Lq x Lk x inner} each). Not counted: biases, activations, gate math, softmax, norms, pooling, residual adds,
 * the loss and the optimizer step (elementwise work, a few percent of these networks' arithmetic).
 *
 * <p>Training: every product's backward computes the gradient of each of its two operands, each as many multiply-adds
 * as the forward product, so backward = 2x forward; except the gradient with respect to the network's input, which
 * neither Nabla nor PyTorch computes: products that read the input (or tensors computed from it without parameters,
 * e.g. through a flatten) do not count it. Training = forward + backward, just under 3x forward.
 *
 * <p>A layer type is counted by one rule in {@link #RULES} (found for the class or its nearest superclass); a layer
 * without a rule counts 0 when it has no parameters of its own (activations, pooling, reshapes, merges) and is refused
 * otherwise, so that a new layer with weights is not silently counted as free.
 */
public final class FlopCount {

    /** Multiply-adds per sample: forward, backward (all operands' gradients) and the part of backward for the input's. */
    public record Products(long forward, long backward, long inputGradient) {
        static final Products NONE = new Products(0, 0, 0);

        /** A product of {@code multiplyAdds}: backward twice that, of which one for the input's gradient. */
        static Products of(long multiplyAdds, long inputMultiplyAdds) {
            return new Products(multiplyAdds, 2 * multiplyAdds, inputMultiplyAdds);
        }

        Products plus(Products o) {
            return new Products(forward + o.forward, backward + o.backward, inputGradient + o.inputGradient);
        }

        /** This module's training work, without the input's gradient when the input needs none. */
        Products training(boolean inputNeedsGradient) {
            return inputNeedsGradient ? this : new Products(forward, backward - inputGradient, 0);
        }
    }

    /** How to count one layer type for its per-sample input shapes. */
    @FunctionalInterface
    interface Rule {
        Products count(Module module, List<int[]> inputShapes);
    }

    /** The rules by layer class; a new layer type with weights is one entry here. */
    static final Map<Class<?>, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put(Dense.class, FlopCount::dense);
        RULES.put(Conv2D.class, FlopCount::conv2d);
        RULES.put(Recurrent.class, FlopCount::recurrent);
        RULES.put(MultiHeadAttention.class, FlopCount::attention);
        RULES.put(TransformerEncoder.class, FlopCount::encoder);
        // elementwise work with parameters: not counted (see the class comment)
        Rule none = (m, in) -> Products.NONE;
        RULES.put(BatchNorm.class, none);
        RULES.put(LayerNorm.class, none);
        RULES.put(PositionEmbedding.class, none);
    }

    private FlopCount() {
    }

    /** FLOPs of one training sample (forward and backward) through {@code network}, built for {@code sampleShape}. */
    public static long trainingFlops(Module network, int... sampleShape) {
        Products p = network(network, List.of(sampleShape), false);
        return 2 * (p.forward() + p.backward());
    }

    /** FLOPs of one sample's forward pass (inference) through {@code network}, built for {@code sampleShape}. */
    public static long inferenceFlops(Module network, int... sampleShape) {
        return 2 * network(network, List.of(sampleShape), false).forward();
    }

    /**
     * The products of {@code network} (a Sequential, a Graph or one layer) on inputs of these per-sample shapes,
     * the backward already without the gradients no one needs; {@code inputNeedsGradient} says whether the inputs'
     * gradient is needed.
     */
    static Products network(Module network, List<int[]> inputShapes, boolean inputNeedsGradient) {
        if (network instanceof Sequential s) return sequential(s, inputShapes.get(0), inputNeedsGradient);
        if (network instanceof Graph g) return graph(g, inputShapes, inputNeedsGradient);
        return layer(network, inputShapes).training(inputNeedsGradient);
    }

    private static Products sequential(Sequential net, int[] shape, boolean needsGradient) {
        Products total = Products.NONE;
        for (Module layer : net.layers()) {
            List<int[]> in = List.of(shape);
            total = total.plus(network(layer, in, needsGradient));
            needsGradient |= hasParameters(layer);
            shape = layer.outputShape(in);
            if (shape == null) throw new IllegalArgumentException("flop count: " + layer.describe() + " has no known output shape");
        }
        return total;
    }

    private static Products graph(Graph net, List<int[]> inputShapes, boolean inputNeedsGradient) {
        Map<Node, Boolean> needsGradient = new IdentityHashMap<>();
        for (Node input : net.inputs()) needsGradient.put(input, inputNeedsGradient);
        Products total = Products.NONE;
        for (Node node : net.nodes()) {
            if (node.isInput()) continue;
            List<int[]> shapes = new ArrayList<>();
            boolean any = false;
            for (Node in : node.inputs()) {
                if (in.shape() == null) throw new IllegalArgumentException("flop count: node " + net.nameOf(in) + " has no known shape");
                shapes.add(in.shape());
                any |= needsGradient.getOrDefault(in, true);
            }
            total = total.plus(network(node.module(), shapes, any));
            needsGradient.put(node, any || hasParameters(node.module()));
        }
        return total;
    }

    /** One layer's products (its rule's, or none for a layer without weights of its own). */
    static Products layer(Module module, List<int[]> inputShapes) {
        for (Class<?> c = module.getClass(); c != null; c = c.getSuperclass()) {
            Rule rule = RULES.get(c);
            if (rule != null) return rule.count(module, inputShapes);
        }
        if (!hasParameters(module)) return Products.NONE;
        throw new IllegalArgumentException("flop count: no rule for layer " + module.describe()
                + " (it has weights); add one to FlopCount.RULES");
    }

    private static boolean hasParameters(Module module) {
        return !module.namedParameters().isEmpty();
    }

    private static int[] shape(Module module, String parameter) {
        Tensor t = module.namedParameters().get(parameter);
        if (t == null) throw new IllegalArgumentException("flop count: " + module.describe() + " has no " + parameter + " (not built?)");
        return t.shape();
    }

    private static long product(int[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /** Dense on the last axis: weight [in, out] at every position of the other axes. */
    private static Products dense(Module m, List<int[]> in) {
        int[] x = in.get(0);
        int[] w = shape(m, "weight");
        long macs = product(x, 0, x.length - 1) * w[0] * w[1];
        return Products.of(macs, macs);
    }

    /** Every output position and filter: weight [filters, in/groups, kh, kw] multiply-adds. */
    private static Products conv2d(Module m, List<int[]> in) {
        int[] out = m.outputShape(in);
        int[] w = shape(m, "weight");
        long macs = product(out, 1, out.length) * product(w, 0, w.length);
        return Products.of(macs, macs);
    }

    /** Each weight_ih* [gates*units, features] and weight_hh* [gates*units, units] once per step. */
    private static Products recurrent(Module m, List<int[]> in) {
        long steps = in.get(0)[0];
        long macs = 0;
        long input = 0;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("weight_")) continue;
            long perStep = product(e.getValue().shape(), 0, 2);
            macs += steps * perStep;
            // only the first layer's input products read the layer's input
            if (name.startsWith("weight_ih_l0")) input += steps * perStep;
        }
        return Products.of(macs, input);
    }

    /** The four projections, then QK^T and AV over all heads (Lq x Lk x inner each). */
    private static Products attention(Module m, List<int[]> in) {
        int[] q = in.get(0);
        int[] k = in.get(Math.min(1, in.size() - 1));
        int[] v = in.get(in.size() - 1);
        int[] wq = shape(m, "query_weight");
        int[] wk = shape(m, "key_weight");
        int[] wv = shape(m, "value_weight");
        int[] wo = shape(m, "output_weight");
        long projections = (long) q[0] * wq[0] * wq[1] + (long) k[0] * wk[0] * wk[1] + (long) v[0] * wv[0] * wv[1];
        long output = (long) q[0] * wo[0] * wo[1];
        long scores = (long) q[0] * k[0] * wk[1];
        long weighted = (long) q[0] * k[0] * wv[1];
        return Products.of(projections + output + scores + weighted, projections);
    }

    /** The attention and the two feed-forward layers at every position (norms not counted). */
    private static Products encoder(Module m, List<int[]> in) {
        Map<String, Module> children = m.children();
        int[] x = in.get(0);
        Module dense1 = children.get("dense1");
        Products attention = layer(children.get("attention"), List.of(x));
        Products ff1 = layer(dense1, List.of(x));
        Products ff2 = layer(children.get("dense2"), List.of(dense1.outputShape(List.of(x))));
        boolean normFirst = ((TransformerEncoder) m).config().normFirst();
        // pre-norm: the attention reads a layer norm's output (which has parameters), so its input gradient is needed
        long input = normFirst ? 0 : attention.inputGradient();
        Products sum = attention.plus(ff1).plus(ff2);
        return new Products(sum.forward(), sum.backward(), input);
    }
}
