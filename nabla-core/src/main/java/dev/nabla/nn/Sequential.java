package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Layers applied one after the other. Weights are created from the first input's shape, or by {@link #build}; the
 * seed makes that initialisation (and dropout masks) reproducible.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Dense(128, Activation.RELU),
 *         new Dropout(0.2f),
 *         new Dense(10)).seed(42).build(784);
 * System.out.println(model.summary());
 * }</pre>
 */
public final class Sequential extends Module {

    private final List<Layer> layers = new ArrayList<>();
    private long seed;
    private int[] inputShape;

    public Sequential(Layer... layers) {
        for (Layer layer : layers) add(layer);
    }

    /** Appends a layer (before the model is built). */
    public Sequential add(Layer layer) {
        if (inputShape != null) throw new IllegalStateException("sequential: cannot add layers after the model is built");
        register(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    /** The seed for weight initialisation; set it before the model is built. Returns this model. */
    public Sequential seed(long seed) {
        if (inputShape != null) throw new IllegalStateException("sequential: set the seed before the model is built");
        this.seed = seed;
        return this;
    }

    public long seed() {
        return seed;
    }

    /** Creates every layer's weights for samples of this shape (without the batch dimension). Returns this model. */
    public Sequential build(int... sampleShape) {
        if (inputShape != null) {
            if (!Arrays.equals(inputShape, sampleShape)) {
                throw new ShapeException("sequential: built for samples of shape " + Shape.str(inputShape)
                        + ", got " + Shape.str(sampleShape));
            }
            return this;
        }
        if (layers.isEmpty()) throw new IllegalStateException("sequential: the model has no layers");
        SplittableRandom rng = new SplittableRandom(seed);
        int[] shape = sampleShape.clone();
        for (Layer layer : layers) {
            layer.ensureBuilt(shape, rng);
            shape = layer.outputShape(shape);
        }
        inputShape = sampleShape.clone();
        return this;
    }

    public boolean isBuilt() {
        return inputShape != null;
    }

    /** Per-sample input shape, or null before the model is built. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** Per-sample output shape of the built model. */
    public int[] outputShape() {
        if (inputShape == null) throw new IllegalStateException("sequential: the model is not built yet");
        int[] shape = inputShape;
        for (Layer layer : layers) shape = layer.outputShape(shape);
        return shape;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (inputShape == null) build(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        Tensor h = x;
        for (Layer layer : layers) h = layer.forward(h);
        return h;
    }

    /** A table of the layers with their output shapes and parameter counts, like Keras' {@code summary()}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(72) + "\n";
        sb.append(String.format(Locale.ROOT, "%-34s %-24s %12s%n", "Layer (type)", "Output shape", "Param #"));
        sb.append(rule);
        int[] shape = inputShape;
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String outShape = "?";
            if (shape != null) {
                shape = layer.outputShape(shape);
                outShape = "[batch, " + Shape.str(shape).substring(1);
            }
            long count = layer.parameterCount();
            total += count;
            sb.append(String.format(Locale.ROOT, "%-34s %-24s %12d%n", i + " (" + layer.describe() + ")", outShape, count));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        if (shape == null) sb.append("(not built yet: shapes and counts appear once the model has seen its input shape)\n");
        return sb.toString();
    }
}
