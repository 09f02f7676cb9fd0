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
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            // a ReLU convolution followed by max pooling runs as one op where the native kernels can: same values,
            // without its largest tensor passing through a Java array
            if (layer instanceof Conv2D conv && i + 1 < layers.size() && layers.get(i + 1) instanceof MaxPool2D pool) {
                Tensor pooled = conv.forwardWithMaxPool(h, pool);
                if (pooled != null) {
                    h = pooled;
                    i++;
                    continue;
                }
            }
            h = layer.forward(h);
        }
        return h;
    }

    /** A table of the layers with their output shapes and parameter counts, like Keras' {@code summary()}. */
    public String summary() {
        int[] shape = inputShape;
        String[] names = new String[layers.size()];
        String[] shapes = new String[layers.size()];
        long[] counts = new long[layers.size()];
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            names[i] = i + " (" + layer.describe() + ")";
            shapes[i] = "?";
            if (shape != null) {
                shape = layer.outputShape(shape);
                shapes[i] = "[batch, " + Shape.str(shape).substring(1);
            }
            counts[i] = layer.parameterCount();
            total += counts[i];
        }
        int nameWidth = "Layer (type)".length();
        int shapeWidth = "Output shape".length();
        for (int i = 0; i < names.length; i++) {
            nameWidth = Math.max(nameWidth, names[i].length());
            shapeWidth = Math.max(shapeWidth, shapes[i].length());
        }
        String row = "%-" + nameWidth + "s  %-" + shapeWidth + "s  %12s%n";
        String rule = "-".repeat(nameWidth + shapeWidth + 16) + "\n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "Layer (type)", "Output shape", "Param #"));
        sb.append(rule);
        for (int i = 0; i < names.length; i++) {
            sb.append(String.format(Locale.ROOT, row, names[i], shapes[i], String.format(Locale.ROOT, "%,d", counts[i])));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        if (shape == null) sb.append("(not built yet: shapes and counts appear once the model has seen its input shape)\n");
        return sb.toString();
    }
}
