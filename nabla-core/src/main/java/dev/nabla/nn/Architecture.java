package dev.nabla.nn;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Networks as JSON values, the format of {@code --arch @arch.json} and of a model file's {@code "architecture"}
 * (see {@code docs/architecture.md}):
 *
 * <pre>{@code
 * {"layers": [
 *   {"name": "stem", "type": "conv", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
 *   {"name": "b", "type": "conv", "filters": 16, "kernel_size": 3, "padding": "same"},
 *   {"name": "sum", "type": "add", "inputs": ["b", "stem"]},
 *   {"type": "globalavgpool"}]}
 * }</pre>
 *
 * A layer without {@code "inputs"} takes the previous layer's output (the first takes the model's input), so a plain
 * list is a {@link Sequential}; any {@code "inputs"}, a {@code "layer"} reuse (shared weights) or declared
 * {@code "inputs"}/{@code "outputs"} at the top make a {@link Graph}. Nested {@code "sequential"} entries hold their own
 * {@code "layers"}, nested {@code "graph"} entries a {@code "graph"} object. Only registered layer types are created.
 */
public final class Architecture {

    static final Set<String> ENTRY_KEYS = Set.of("name", "type", "inputs", "layer", "layers", "graph", "seed");

    private Architecture() {
    }

    // ---------------------------------------------------------------- writing

    /** The JSON value of a network: {@code "type"} sequential or graph, its seed, input shapes and layers. */
    public static Map<String, Object> toJson(Module network) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (network instanceof Sequential seq) {
            out.put("type", "sequential");
            if (seq.ownSeed() != null) out.put("seed", seq.ownSeed());
            if (seq.inputShape() != null) out.put("input_shape", ints(seq.inputShape()));
            out.put("layers", sequentialEntries(seq));
        } else if (network instanceof Graph graph) {
            out.put("type", "graph");
            if (graph.ownSeed() != null) out.put("seed", graph.ownSeed());
            out.putAll(graphBody(graph));
        } else {
            throw new ConfigException(unsaveable(network));
        }
        return out;
    }

    private static List<Object> sequentialEntries(Sequential seq) {
        List<Object> layers = new ArrayList<>();
        for (Module m : seq.layers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (m.name() != null) e.put("name", m.name());
            e.putAll(moduleEntry(m));
            layers.add(e);
        }
        return layers;
    }

    private static Map<String, Object> graphBody(Graph graph) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> inputs = new ArrayList<>();
        for (Node in : graph.inputs()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", in.inputName());
            i.put("shape", ints(in.shape()));
            inputs.add(i);
        }
        out.put("inputs", inputs);
        List<Object> layers = new ArrayList<>();
        Set<Module> written = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : graph.nodes()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", graph.nameOf(n));
            if (written.add(n.module())) {
                e.putAll(moduleEntry(n.module()));
            } else {
                e.put("layer", graph.nameOf(n.module()));
            }
            List<Object> from = new ArrayList<>();
            for (Node in : n.inputs()) from.add(graph.nameOf(in));
            e.put("inputs", from);
            layers.add(e);
        }
        out.put("layers", layers);
        List<Object> outputs = new ArrayList<>();
        for (var o : graph.outputs().entrySet()) {
            String node = graph.nameOf(o.getValue());
            if (o.getKey().equals(node)) {
                outputs.add(node);
            } else {
                Map<String, Object> named = new LinkedHashMap<>();
                named.put("name", o.getKey());
                named.put("node", node);
                outputs.add(named);
            }
        }
        out.put("outputs", outputs);
        return out;
    }

    private static Map<String, Object> moduleEntry(Module m) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (m instanceof Layer layer) {
            e.put("type", layer.type());
            for (var c : ConfigCodec.encode(layer.config()).entrySet()) {
                if (ENTRY_KEYS.contains(c.getKey())) throw new ConfigException(layer.type() + ": config key '" + c.getKey() + "' is reserved");
                e.put(c.getKey(), c.getValue());
            }
        } else if (m instanceof Sequential seq) {
            e.put("type", "sequential");
            if (seq.ownSeed() != null) e.put("seed", seq.ownSeed());
            e.put("layers", sequentialEntries(seq));
        } else if (m instanceof Graph graph) {
            e.put("type", "graph");
            if (graph.ownSeed() != null) e.put("seed", graph.ownSeed());
            e.put("graph", graphBody(graph));
        } else {
            throw new ConfigException(unsaveable(m));
        }
        return e;
    }

    private static String unsaveable(Module m) {
        return m.getClass().getName() + " cannot be saved: only registered layers, Sequential and Graph are described "
                + "in model files; make it a Layer with a Config record and register it in Layers (docs/adding-a-layer.md)";
    }

    private static List<Object> ints(int[] values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) out.add((long) v);
        return out;
    }

    // ---------------------------------------------------------------- reading (ArchitectureReader)

    /** A network saved by {@link #toJson} (a model file's {@code "architecture"}). */
    public static Module fromJson(Map<String, Object> json, String where) {
        return ArchitectureReader.fromJson(json, where);
    }

    /**
     * A network from an architecture file ({@code --arch}): {@code inputShape} is the data's per-sample shape for a
     * file that declares no inputs; {@code head} gives the layers appended to the single output for its per-sample
     * shape (the task's output layer), or null for none. The file may also be what {@link #toJson} writes: a
     * {@code "type"} of sequential or graph, and a sequential's {@code "input_shape"}, which must then equal
     * {@code inputShape} where that is given.
     */
    public static Module fromSpec(Map<String, Object> json, int[] inputShape, Function<int[], List<Layer>> head, String where) {
        return ArchitectureReader.fromSpec(json, inputShape, head, where);
    }
}
