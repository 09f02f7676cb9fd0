package dev.nabla.train;

import dev.nabla.nn.Graph;
import dev.nabla.nn.Module;
import dev.nabla.nn.Node;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's inputs for a set of samples: one tensor per network input (a graph's inputs in their declared order),
 * all with the samples along the first axis.
 */
record Inputs(List<Tensor> tensors) {

    Inputs {
        if (tensors.isEmpty()) throw new IllegalArgumentException("no inputs");
        tensors = List.copyOf(tensors);
        int n = tensors.get(0).rank() == 0 ? -1 : tensors.get(0).shape(0);
        for (Tensor t : tensors) {
            if (t.rank() == 0 || t.shape(0) != n) {
                throw new ShapeException("inputs must all have the same number of samples along the first axis, got "
                        + Shape.str(tensors.get(0).shape()) + " and " + Shape.str(t.shape()));
            }
        }
    }

    static Inputs of(Tensor x) {
        return new Inputs(List.of(x));
    }

    /** Named inputs in the order of the network's (a graph's) inputs; every input must be given, no other. */
    static Inputs of(Module network, Map<String, Tensor> named) {
        if (!(network instanceof Graph graph)) {
            if (named.size() != 1) throw new IllegalArgumentException("the network takes one input, got " + named.keySet());
            return of(named.values().iterator().next());
        }
        List<Tensor> ordered = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Node in : graph.inputs()) {
            names.add(in.inputName());
            Tensor t = named.get(in.inputName());
            if (t == null) throw new IllegalArgumentException("input '" + in.inputName() + "' is missing (the model takes " + names(graph) + ")");
            ordered.add(t);
        }
        if (named.size() != ordered.size()) {
            throw new IllegalArgumentException("the model takes inputs " + names(graph) + ", got " + named.keySet());
        }
        return new Inputs(ordered);
    }

    private static List<String> names(Graph graph) {
        List<String> names = new ArrayList<>();
        for (Node in : graph.inputs()) names.add(in.inputName());
        return names;
    }

    int samples() {
        return tensors.get(0).shape(0);
    }

    Inputs slice(int start, int end) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) out.add(t.slice(start, end));
        return new Inputs(out);
    }

    Inputs select(int[] indices) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) out.add(t.indexSelect(0, indices));
        return new Inputs(out);
    }

    /** The network's output for these inputs. */
    Tensor forward(Module network) {
        return tensors.size() == 1 ? network.forward(tensors.get(0)) : network.forward(tensors);
    }

    /** The first input, with the others unchanged: what a batch transform (augmentation) sees. */
    Inputs withFirst(Tensor first) {
        List<Tensor> out = new ArrayList<>(tensors);
        out.set(0, first);
        return new Inputs(out);
    }

    String shapes() {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : tensors) sb.append(sb.length() == 0 ? "" : ", ").append(Shape.str(t.shape()));
        return sb.toString();
    }

    /** Inputs and targets of the same number of samples, at least one; the message names the call. */
    static void checkSameLength(String what, Inputs x, Tensor y) {
        if (y.rank() == 0 || x.samples() != y.shape(0)) {
            throw new ShapeException(what + ": inputs " + x.shapes() + " and targets " + Shape.str(y.shape())
                    + " must have the same number of samples along the first axis");
        }
        if (x.samples() == 0) throw new IllegalArgumentException(what + ": no samples");
    }
}
