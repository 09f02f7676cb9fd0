package dev.nabla.nn;

import dev.nabla.config.ConfigCodec;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A layer: a module described entirely by a typed configuration record ({@link #config()}), registered by name in
 * {@link Layers}, so that it saves, loads, appears in the command line and in architecture files. Its weights are
 * created lazily from the shape of its first input (or when the model is built), so a layer needs only its own
 * settings: {@code new Dense(128, Activation.RELU)}.
 *
 * <p>Shapes passed to {@link #build} and {@link #outputShape} leave out the batch dimension. A layer with several
 * inputs (a merge) overrides the list forms of {@link #outputShape(List)}, {@link #build(List)} and {@link #call(List)}.
 *
 * <p>A new layer is this class's subclass with a {@code Config} record and one line in {@link Layers}; see
 * {@code docs/adding-a-layer.md}.
 */
public abstract class Layer extends Module {

    private List<int[]> builtFor;

    /** The configuration that recreates this layer: a record whose components have {@link dev.nabla.config.Default}s. */
    public abstract Record config();

    /** The per-sample output shape for a per-sample input shape; throws a ShapeException naming the layer if unfit. */
    public abstract int[] outputShape(int[] inputShape);

    /** The layer's computation on a built layer. */
    protected abstract Tensor call(Tensor x);

    /** Creates the layer's parameters for inputs of this per-sample shape; layers without weights do nothing. */
    protected void build(int[] inputShape) {
    }

    /** Several inputs: one is passed to {@link #outputShape(int[])}, more are refused. */
    @Override
    public int[] outputShape(List<int[]> inputShapes) {
        if (inputShapes.size() != 1) throw new ShapeException(describe() + ": takes one input, got " + inputShapes.size());
        return outputShape(inputShapes.get(0));
    }

    /** Creates parameters for several inputs' shapes; one goes to {@link #build(int[])}. */
    protected void buildFor(List<int[]> inputShapes) {
        build(inputShapes.get(0));
    }

    /** Computes the output for several inputs; one goes to {@link #call(Tensor)}. */
    protected Tensor call(List<Tensor> inputs) {
        return call(inputs.get(0));
    }

    /** The layer type, as registered in {@link Layers} (e.g. {@code "dense"}). */
    public String type() {
        return Layers.nameOf(this);
    }

    /** Builds the layer for per-sample input shapes, once; later calls must agree with the first. */
    @Override
    public final void build(List<int[]> inputShapes) {
        if (builtFor != null) {
            if (!sameShapes(builtFor, inputShapes)) {
                throw new ShapeException(describe() + ": built for inputs of shape " + shapes(builtFor) + " but got "
                        + shapes(inputShapes));
            }
            return;
        }
        outputShape(inputShapes);
        buildFor(inputShapes);
        List<int[]> copy = new ArrayList<>();
        for (int[] s : inputShapes) copy.add(s.clone());
        builtFor = copy;
    }

    /** Builds the layer for one per-sample input shape (see {@link #build(List)}). */
    public final void ensureBuilt(int... inputShape) {
        build(List.of(inputShape));
    }

    /** Whether the weights exist yet. */
    public final boolean isBuilt() {
        return builtFor != null;
    }

    /** The per-sample shape of the (first) input the layer was built for, or null. */
    public final int[] inputShape() {
        return builtFor == null ? null : builtFor.get(0).clone();
    }

    /**
     * The padding mask of this layer's output (see {@link Tensor#mask()}) given its input's mask: by default none, as
     * Keras drops a mask at a layer that does not support masking. A layer that keeps the time axis and the meaning
     * of each step (dense on the last axis, activations, dropout, normalisation over features) returns
     * {@code inputMask}. Only called when the input carries a mask and {@link #call} attached none itself.
     */
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return null;
    }

    /** The output mask for several inputs: the one input's rule, none for more (merges override it). */
    protected Tensor outputMask(List<Tensor> inputs, List<Tensor> inputMasks) {
        return inputs.size() == 1 ? outputMask(inputs.get(0), inputMasks.get(0)) : null;
    }

    @Override
    public final Tensor forward(Tensor x) {
        checkInputs(List.of(x.shape()));
        Tensor y = call(x);
        if (x.mask() == null || y.mask() != null) return y;
        Tensor m = outputMask(x, x.mask());
        return m == null ? y : y.withMask(m);
    }

    @Override
    public final Tensor forward(List<Tensor> inputs) {
        if (inputs.size() == 1) return forward(inputs.get(0));
        List<int[]> shapes = new ArrayList<>();
        List<Tensor> masks = new ArrayList<>();
        boolean masked = false;
        for (Tensor t : inputs) {
            shapes.add(t.shape());
            masks.add(t.mask());
            masked |= t.mask() != null;
        }
        checkInputs(shapes);
        Tensor y = call(inputs);
        if (!masked || y.mask() != null) return y;
        Tensor m = outputMask(inputs, masks);
        return m == null ? y : y.withMask(m);
    }

    /** Builds the layer on its first inputs, and checks later inputs against those shapes (each {@code [batch, ...]}). */
    final void checkInputs(List<int[]> shapes) {
        List<int[]> samples = new ArrayList<>();
        for (int[] shape : shapes) {
            if (shape.length == 0) throw new ShapeException(describe() + ": needs a batch of inputs, got a scalar");
            samples.add(Arrays.copyOfRange(shape, 1, shape.length));
        }
        if (builtFor == null) {
            build(samples);
        } else if (!sameShapes(builtFor, samples)) {
            StringBuilder want = new StringBuilder();
            for (int[] s : builtFor) want.append(want.length() == 0 ? "" : ", ").append("[batch, ").append(Shape.str(s).substring(1));
            StringBuilder got = new StringBuilder();
            for (int[] s : shapes) got.append(got.length() == 0 ? "" : ", ").append(Shape.str(s));
            throw new ShapeException(describe() + ": expects inputs of shape " + want + " but got " + got);
        } else if (!identicalShapes(builtFor, samples)) {
            outputShape(samples); // another sequence length: the layer's own checks (key and value alike, max length)
        }
    }

    private static boolean identicalShapes(List<int[]> a, List<int[]> b) {
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    private boolean sameShapes(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i)) && !fitsBuiltShape(a.get(i), b.get(i))) return false;
        return true;
    }

    /**
     * Whether per-sample inputs of shape {@code now} fit weights built for {@code built}, when the two differ. By
     * default they must be equal; layers whose weights depend on only some axes (the features of a sequence, whose
     * length may change from batch to batch) accept more, e.g. with {@link #sameRankAndLastAxis}.
     */
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return false;
    }

    /** For {@link #fitsBuiltShape}: the same rank and the same size of the last axis (the features). */
    protected static boolean sameRankAndLastAxis(int[] built, int[] now) {
        return built.length == now.length && built.length > 0 && built[built.length - 1] == now[now.length - 1];
    }

    private static String shapes(List<int[]> s) {
        StringBuilder sb = new StringBuilder();
        for (int[] x : s) sb.append(sb.length() == 0 ? "" : ", ").append(Shape.str(x));
        return sb.toString();
    }

    /** The layer's type and settings, for messages: {@code dense(units=10, activation=linear, use_bias=true)}. */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(type()).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : ConfigCodec.encode(config()).entrySet()) {
            if (!first) sb.append(", ");
            sb.append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
