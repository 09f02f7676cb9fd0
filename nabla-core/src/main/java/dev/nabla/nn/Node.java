package dev.nabla.nn;

import dev.nabla.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A value in a {@link Graph} being built, like a Keras symbolic tensor: a named input ({@link Graph#input}), or a
 * module applied to other nodes ({@link Module#on}). Its per-sample shape is known as soon as it is made, where the
 * module can tell ({@link Module#outputShape(List)}), so shape errors show up while the graph is written.
 *
 * <pre>{@code
 * Node image = Graph.input("image", 1, 28, 28);
 * Node stem = new Conv2D(16, 3, Activation.RELU).on(image);
 * Node sum = new Add().on(new Conv2D(...).on(stem), stem);
 * }</pre>
 */
public final class Node {

    private final Module module;
    private final List<Node> inputs;
    private final String inputName;
    private final int[] shape;

    private Node(Module module, List<Node> inputs, String inputName, int[] shape) {
        this.module = module;
        this.inputs = inputs;
        this.inputName = inputName;
        this.shape = shape;
    }

    /** A graph input of per-sample shape {@code shape} (without the batch axis). */
    static Node input(String name, int[] shape) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("graph input name '" + name + "' must be non-empty without '.'");
        }
        for (int d : shape) if (d < 1) throw new IllegalArgumentException("graph input '" + name + "': bad shape " + Shape.str(shape));
        return new Node(null, List.of(), name, shape.clone());
    }

    static Node of(Module module, List<Node> inputs) {
        if (inputs.isEmpty()) throw new IllegalArgumentException(module.describe() + ": needs at least one input node");
        List<int[]> shapes = new ArrayList<>();
        boolean known = true;
        for (Node n : inputs) {
            if (n == null) throw new IllegalArgumentException(module.describe() + ": an input node is null");
            if (n.shape == null) known = false;
            shapes.add(n.shape);
        }
        int[] shape = known ? module.outputShape(shapes) : null;
        return new Node(module, List.copyOf(inputs), null, shape == null ? null : shape.clone());
    }

    /** The module computing this node, or null for a graph input. */
    public Module module() {
        return module;
    }

    /** The nodes this one is computed from (empty for an input). */
    public List<Node> inputs() {
        return inputs;
    }

    public boolean isInput() {
        return module == null;
    }

    /** The name of a graph input, or null. */
    public String inputName() {
        return inputName;
    }

    /** The per-sample shape, or null where a module could not tell before running. */
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public String toString() {
        return isInput() ? "input '" + inputName + "'" : module.describe();
    }
}
