package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A layer of a {@link Sequential} model. Its weights are created lazily, from the shape of the first input it sees
 * (or when the model is built), so a layer needs only its own settings: {@code new Dense(128, Activation.RELU)}.
 *
 * <p>Shapes passed to {@link #build} and {@link #outputShape} leave out the batch dimension.
 */
public abstract class Layer extends Module {

    private int[] builtFor;

    /** Creates the layer's parameters for inputs of this per-sample shape; layers without weights do nothing. */
    protected void build(int[] inputShape, RandomGenerator rng) {
    }

    /** The per-sample output shape for a per-sample input shape; throws a ShapeException naming the layer if unfit. */
    public abstract int[] outputShape(int[] inputShape);

    /** The layer's computation on a built layer. */
    protected abstract Tensor call(Tensor x);

    /** The layer type as saved in model files, e.g. {@code "dense"}. */
    public abstract String type();

    /** The settings that recreate this layer (see {@link LayerFactory}); values are plain strings. */
    public Map<String, String> config() {
        return new LinkedHashMap<>();
    }

    /** Builds the layer for a per-sample input shape, once; later calls must agree with the first. */
    public final void ensureBuilt(int[] inputShape, RandomGenerator rng) {
        if (builtFor != null) {
            if (!Arrays.equals(builtFor, inputShape)) {
                throw new ShapeException(describe() + ": built for inputs of shape " + Shape.str(builtFor)
                        + " but got " + Shape.str(inputShape));
            }
            return;
        }
        outputShape(inputShape);
        build(inputShape, rng);
        builtFor = inputShape.clone();
    }

    /** Whether the weights exist yet. */
    public final boolean isBuilt() {
        return builtFor != null;
    }

    /** The per-sample input shape the layer was built for, or null. */
    public final int[] inputShape() {
        return builtFor == null ? null : builtFor.clone();
    }

    @Override
    public final Tensor forward(Tensor x) {
        checkInput(x.shape());
        return call(x);
    }

    /** Builds the layer on its first input, and checks later inputs against that shape ({@code [batch, ...]}). */
    final void checkInput(int[] shape) {
        if (shape.length == 0) throw new ShapeException(describe() + ": needs a batch of inputs, got a scalar");
        int[] sample = Arrays.copyOfRange(shape, 1, shape.length);
        if (builtFor == null) {
            ensureBuilt(sample, new SplittableRandom(0));
        } else if (!Arrays.equals(builtFor, sample)) {
            throw new ShapeException(describe() + ": expects inputs of shape [batch, "
                    + Shape.str(builtFor).substring(1) + " but got " + Shape.str(shape));
        }
    }

    /** The layer's type and settings, for messages: {@code dense(units=10)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(type()).append('(');
        boolean first = true;
        for (var e : config().entrySet()) {
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
