package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Modules applied one after the other: layers, other Sequentials, graphs or custom modules. Weights are created from
 * the first input's shape, or by {@link #build}; the seed makes that initialisation (and dropout masks) reproducible.
 * Elements are registered under their names ({@link Module#named}) or else their index, so weights have paths like
 * {@code "0.weight"}.
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

    private final List<Module> layers = new ArrayList<>();
    private int[] inputShape;
    private List<Step> plan;

    /** One step of the forward pass: a module, or two in a row run as one fused op. */
    private record Step(Module first, Module second, Fusion fusion) {
    }

    public Sequential(Module... layers) {
        for (Module layer : layers) add(layer);
    }

    /** Appends a module (before the model is built). */
    public Sequential add(Module layer) {
        if (inputShape != null) throw new IllegalStateException("sequential: cannot add layers after the model is built");
        register(layer.name() != null ? layer.name() : Integer.toString(layers.size()), layer);
        layers.add(layer);
        plan = null;
        return this;
    }

    /** The seed for weight initialisation; set it before the model is built. Returns this model. */
    @Override
    public Sequential seed(long seed) {
        if (inputShape != null) throw new IllegalStateException("sequential: set the seed before the model is built");
        super.seed(seed);
        return this;
    }

    /** The seed given by {@link #seed(long)}, 0 if none was. */
    public long seed() {
        return ownSeed() == null ? 0 : ownSeed();
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
        int[] shape = sampleShape.clone();
        for (Module layer : layers) {
            if (shape == null) break;
            layer.build(List.of(shape));
            shape = layer.outputShape(List.of(shape));
        }
        inputShape = sampleShape.clone();
        return this;
    }

    @Override
    public void build(List<int[]> inputShapes) {
        if (inputShapes.size() != 1) throw new ShapeException("sequential: takes one input, got " + inputShapes.size());
        build(inputShapes.get(0));
    }

    public boolean isBuilt() {
        return inputShape != null;
    }

    /** Per-sample input shape, or null before the model is built. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** Per-sample output shape of the built model (null where a custom module cannot tell before running). */
    public int[] outputShape() {
        if (inputShape == null) throw new IllegalStateException("sequential: the model is not built yet");
        return outputShape(List.of(inputShape));
    }

    @Override
    public int[] outputShape(List<int[]> inputShapes) {
        if (inputShapes.size() != 1) throw new ShapeException("sequential: takes one input, got " + inputShapes.size());
        int[] shape = inputShapes.get(0);
        for (Module layer : layers) {
            if (shape == null) return null;
            shape = layer.outputShape(List.of(shape));
        }
        return shape;
    }

    /** The elements in order. */
    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (inputShape == null) build(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        Tensor h = x;
        for (Step step : plan()) {
            h = step.fusion() != null ? step.fusion().apply(step.first(), step.second(), h) : step.first().forward(h);
        }
        return h;
    }

    private List<Step> plan() {
        if (plan != null) return plan;
        List<Step> steps = new ArrayList<>();
        boolean complete = true;
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            if (i + 1 < layers.size()) {
                Module next = layers.get(i + 1);
                Fusion fusion = Fusions.find(layer, next);
                if (layer instanceof Layer l && !l.isBuilt() || next instanceof Layer n && !n.isBuilt()) complete = false;
                if (fusion != null) {
                    steps.add(new Step(layer, next, fusion));
                    i++;
                    continue;
                }
            }
            steps.add(new Step(layer, null, null));
        }
        // layers after a custom module are built while running: plan again once they are
        // immutable: its final fields make the plan safe to read from other threads once published
        if (complete) plan = List.copyOf(steps);
        return steps;
    }

    /** A table of the layers with their output shapes and parameter counts, like Keras' {@code summary()}. */
    public String summary() {
        int[] shape = inputShape;
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            String name = layer.name() != null ? layer.name() : Integer.toString(i);
            if (shape != null) shape = layer.outputShape(List.of(shape));
            rows.add(new String[]{name + " (" + Summaries.kind(layer) + ")", Graph.batch(inputShape == null ? null : shape),
                    String.format(Locale.ROOT, "%,d", layer.parameterCount())});
        }
        return Summaries.table(new String[]{"Layer (type)", "Output shape", "Param #"}, rows, parameterCount(), inputShape != null);
    }

    @Override
    public String describe() {
        return "sequential";
    }
}
