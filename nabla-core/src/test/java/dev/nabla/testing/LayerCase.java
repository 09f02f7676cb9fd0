package dev.nabla.testing;

import dev.nabla.nn.Graph;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Module;
import dev.nabla.nn.Node;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One line of the layer harness's table ({@code nn/LayerCases}): a layer as its command-line token, the per-sample
 * shapes of its inputs, its expected parameter count, and what is special about it.
 *
 * <pre>{@code
 * LayerCase.of("conv:2:3:relu:same").input(1, 4, 4).params(1 * 3 * 3 * 2 + 2).seeded()
 * }</pre>
 */
public final class LayerCase {

    /** How the input values are drawn. */
    enum Values {
        /** uniform in ±[0.1, 1): away from the kinks of ReLU and friends at 0 */
        AWAY_FROM_ZERO,
        /** all different, at least 0.05 apart: no max-pooling ties within a finite-difference step */
        SPACED,
        /** whole token ids in [0, vocabulary): not differentiable */
        IDS
    }

    private final String token;
    private final List<int[]> inputs = new ArrayList<>();
    private Values values = Values.AWAY_FROM_ZERO;
    private int vocabulary;
    private long parameters = -1;
    private boolean seeded;
    private boolean modeDependent;
    private int[] maskedInputs = new int[0];
    private double eps = 1e-2;
    private double tolerance = 2e-2;

    private LayerCase(String token) {
        this.token = token;
    }

    /** A line for the layer this command-line token makes, e.g. {@code "dense:3:tanh"}. */
    public static LayerCase of(String token) {
        return new LayerCase(token);
    }

    /** Adds an input of this per-sample shape (merges take two or more). */
    public LayerCase input(int... shape) {
        inputs.add(shape.clone());
        return this;
    }

    /** The number of trainable scalars the layer must have (0 for none; every line must say). */
    public LayerCase params(long count) {
        parameters = count;
        return this;
    }

    /** The layer's initial state (weights, or dropout's masks) depends on the seed: another seed, another output. */
    public LayerCase seeded() {
        seeded = true;
        return this;
    }

    /** Training and inference compute different things (dropout, batch statistics); for others they must agree. */
    public LayerCase modeDependent() {
        modeDependent = true;
        return this;
    }

    /** Inputs are token ids below {@code vocabulary}, with no gradient (embeddings). */
    public LayerCase ids(int vocabulary) {
        this.values = Values.IDS;
        this.vocabulary = vocabulary;
        return this;
    }

    /** Inputs all distinct and well apart (max pooling: the finite differences must not swap the maximum). */
    public LayerCase spaced() {
        this.values = Values.SPACED;
        return this;
    }

    /**
     * The layer honours padding masks on these inputs ({@code [batch, time, ...]} sequences; the first when none are
     * named): the harness pads them with junk steps marked as padding and checks that nothing real changes.
     */
    public LayerCase masked(int... inputs) {
        this.maskedInputs = inputs.length == 0 ? new int[]{0} : inputs.clone();
        return this;
    }

    /** Another finite-difference step and relative tolerance than 1e-2 / 2e-2. */
    public LayerCase gradientCheck(double eps, double tolerance) {
        this.eps = eps;
        this.tolerance = tolerance;
        return this;
    }

    public String token() {
        return token;
    }

    /** The registered type name the token's first word resolves to (aliases included). */
    public String type() {
        return Layers.registry().get(token.split(":", 2)[0], "harness line '" + token + "'").name();
    }

    public List<int[]> inputShapes() {
        List<int[]> out = new ArrayList<>();
        for (int[] s : inputs) out.add(s.clone());
        return out;
    }

    public long parameters() {
        return parameters;
    }

    public boolean isSeeded() {
        return seeded;
    }

    public boolean isModeDependent() {
        return modeDependent;
    }

    public boolean inputsHaveGradients() {
        return values != Values.IDS;
    }

    /** The inputs {@link #masked} names; empty when the line does not check padding. */
    public int[] maskedInputs() {
        return maskedInputs.clone();
    }

    public double eps() {
        return eps;
    }

    public double tolerance() {
        return tolerance;
    }

    /** A new, unbuilt layer from the token. */
    public Layer create() {
        return Layers.fromToken(token, "harness line '" + token + "'");
    }

    /** A model around a new layer, built and seeded: a Sequential for one input, a Graph for several. */
    public Built build(long seed) {
        if (inputs.isEmpty()) throw new IllegalStateException("harness line '" + token + "' has no input(...)");
        Layer layer = create();
        if (inputs.size() == 1) return new Built(new Sequential(layer).seed(seed).build(inputs.get(0)), layer);
        List<Node> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) in.add(Graph.input("in" + i, inputs.get(i)));
        Graph graph = new Graph(in, List.of(layer.on(in.toArray(new Node[0]))));
        graph.seed(seed);
        return new Built(graph.build(), layer);
    }

    /** A model and the layer inside it. */
    public record Built(Module network, Layer layer) {
    }

    /** A batch for every input, drawn from {@code seed}. */
    public Tensor[] inputs(long seed, int batch) {
        Tensor[] out = new Tensor[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            int[] shape = new int[inputs.get(i).length + 1];
            shape[0] = batch;
            System.arraycopy(inputs.get(i), 0, shape, 1, inputs.get(i).length);
            out[i] = draw(seed + 31L * i, shape);
        }
        return out;
    }

    private Tensor draw(long seed, int[] shape) {
        return switch (values) {
            case AWAY_FROM_ZERO -> GradCheck.awayFromZero(seed, 0.1f, 1f, shape);
            case IDS -> {
                Tensor t = Tensor.zeros(shape);
                SplittableRandom rng = new SplittableRandom(seed);
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) d[i] = rng.nextInt(vocabulary);
                yield t;
            }
            case SPACED -> {
                // a shuffled ladder -n/2 .. n/2 in steps of 0.05: distinct values, no two closer than 2 * eps
                Tensor t = Tensor.zeros(shape);
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) d[i] = (i - d.length / 2) * 0.05f;
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = d.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    float tmp = d[i];
                    d[i] = d[j];
                    d[j] = tmp;
                }
                yield t;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(token).append(" on ");
        for (int i = 0; i < inputs.size(); i++) sb.append(i == 0 ? "" : " + ").append(java.util.Arrays.toString(inputs.get(i)));
        return sb.toString();
    }
}
