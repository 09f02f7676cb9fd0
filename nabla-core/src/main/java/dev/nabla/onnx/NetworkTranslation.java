package dev.nabla.onnx;

import dev.nabla.nn.Graph;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Module;
import dev.nabla.nn.Node;
import dev.nabla.nn.Sequential;
import dev.nabla.onnx.LayerTranslation.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a network: a {@link Sequential} layer after layer, a {@link Graph} node after node in its topological order
 * (every input, merge and shared layer of the DAG), nested networks within; each layer goes to its
 * {@link LayerTranslations translation}.
 */
final class NetworkTranslation {

    /** How a kind of container module is walked. */
    private interface Container {
        List<Value> inputs(Module m);

        List<Value> translate(Module m, String path, List<Value> inputs, OnnxGraph g);
    }

    private static final Map<Class<? extends Module>, Container> CONTAINERS = Map.of(
            Sequential.class, new SequentialWalk(),
            Graph.class, new GraphWalk());

    private NetworkTranslation() {
    }

    /** The network's inputs: names and per-sample shapes, as the exported model takes them. */
    static List<Value> inputs(Module network) {
        Container c = CONTAINERS.get(network.getClass());
        if (c == null) {
            throw new OnnxExportException("the network (" + network.describe() + ") cannot be exported to ONNX: only a"
                    + " sequential or graph network declares its inputs");
        }
        return c.inputs(network);
    }

    /** Adds the nodes of module {@code m} (at {@code path} in the model) and returns its outputs. */
    static List<Value> translate(Module m, String path, List<Value> inputs, OnnxGraph g) {
        Container c = CONTAINERS.get(m.getClass());
        if (c != null) return c.translate(m, path, inputs, g);
        if (!(m instanceof Layer layer)) {
            throw new OnnxExportException("module '" + path + "' (" + m.describe() + ") cannot be exported to ONNX: it is"
                    + " not a registered layer");
        }
        List<int[]> shapes = new ArrayList<>();
        for (Value v : inputs) shapes.add(v.shape());
        String out = LayerTranslations.translate(layer, path, inputs, g);
        return List.of(new Value(out, layer.outputShape(shapes)));
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static final class SequentialWalk implements Container {
        @Override
        public List<Value> inputs(Module m) {
            int[] shape = ((Sequential) m).inputShape();
            if (shape == null) throw new OnnxExportException("the network is not built yet: build it (or run it once) before exporting");
            return List.of(new Value("input", shape));
        }

        @Override
        public List<Value> translate(Module m, String path, List<Value> inputs, OnnxGraph g) {
            List<Value> h = inputs;
            List<Module> layers = ((Sequential) m).layers();
            for (int i = 0; i < layers.size(); i++) {
                Module layer = layers.get(i);
                h = NetworkTranslation.translate(layer, child(path, layer.name() != null ? layer.name() : Integer.toString(i)), h, g);
            }
            return h;
        }
    }

    private static final class GraphWalk implements Container {
        @Override
        public List<Value> inputs(Module m) {
            List<Value> out = new ArrayList<>();
            for (Node in : ((Graph) m).inputs()) out.add(new Value(in.inputName(), in.shape()));
            return out;
        }

        @Override
        public List<Value> translate(Module m, String path, List<Value> inputs, OnnxGraph g) {
            Graph graph = (Graph) m;
            Map<Node, Value> values = new IdentityHashMap<>();
            for (int i = 0; i < graph.inputs().size(); i++) values.put(graph.inputs().get(i), inputs.get(i));
            for (Node n : graph.nodes()) {
                List<Value> in = new ArrayList<>();
                for (Node i : n.inputs()) in.add(values.get(i));
                List<Value> out = NetworkTranslation.translate(n.module(), child(path, graph.nameOf(n)), in, g);
                if (out.size() != 1) {
                    throw new OnnxExportException("node '" + child(path, graph.nameOf(n)) + "' has " + out.size()
                            + " outputs; a graph node must have one");
                }
                values.put(n, out.get(0));
            }
            List<Value> outs = new ArrayList<>();
            for (Node o : graph.outputs().values()) outs.add(values.get(o));
            return outs;
        }
    }
}
