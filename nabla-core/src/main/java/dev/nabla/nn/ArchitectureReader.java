package dev.nabla.nn;

import dev.nabla.config.ConfigException;
import dev.nabla.config.ValueTypes;
import dev.nabla.tensor.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads the JSON of {@link Architecture}: model files' networks and {@code --arch} files. Only registered types are made. */
final class ArchitectureReader {

    private static final List<String> SPEC_KEYS = List.of("layers", "inputs", "outputs", "seed", "type", "input_shape");

    private ArchitectureReader() {
    }

    /** A network saved by {@link Architecture#toJson} (a model file's {@code "architecture"}). */
    static Module fromJson(Map<String, Object> json, String where) {
        String type = string(json.get("type"), where + ": \"type\"");
        Module network;
        if (type.equals("sequential")) {
            int[] shape = json.get("input_shape") == null ? null : shape(json.get("input_shape"), where + ": \"input_shape\"");
            Sequential seq = readSequential(list(json.get("layers"), where + ": \"layers\""), where);
            if (json.get("seed") != null) seq.seed(whole(json.get("seed"), where + ": \"seed\""));
            if (shape != null) seq.build(shape);
            network = seq;
        } else if (type.equals("graph")) {
            network = readGraph(json, null, Function.identity(), where);
            if (json.get("seed") != null) network.seed(whole(json.get("seed"), where + ": \"seed\""));
            ((Graph) network).build();
        } else {
            throw new ConfigException(where + ": \"type\" must be \"sequential\" or \"graph\", got \"" + type + "\"");
        }
        return network;
    }

    /**
     * A network from an architecture file ({@code --arch}): {@code inputShape} is the data's per-sample shape for a
     * file that declares no inputs; {@code head} gives the layers appended to the single output for its per-sample
     * shape (the task's output layer), or null for none. The file may also be what {@link Architecture#toJson} writes: a
     * {@code "type"} of sequential or graph, and a sequential's {@code "input_shape"}, which must then equal
     * {@code inputShape} where that is given.
     */
    static Module fromSpec(Map<String, Object> json, int[] inputShape, Function<int[], List<Layer>> head, String where) {
        for (String key : json.keySet()) {
            if (!SPEC_KEYS.contains(key)) {
                throw new ConfigException(where + ": unknown key '" + key + "' (known: " + String.join(", ", SPEC_KEYS) + ")");
            }
        }
        String type = json.get("type") == null ? null : string(json.get("type"), where + ": \"type\"");
        if (type != null && !type.equals("sequential") && !type.equals("graph")) {
            throw new ConfigException(where + ": \"type\" must be \"sequential\" or \"graph\", got \"" + type + "\"");
        }
        int[] sampleShape = inputShape;
        if (json.get("input_shape") != null) {
            int[] declared = shape(json.get("input_shape"), where + ": \"input_shape\"");
            if (inputShape != null && !java.util.Arrays.equals(declared, inputShape)) {
                throw new ConfigException(where + ": \"input_shape\" is " + Shape.str(declared) + ", but the samples have shape "
                        + Shape.str(inputShape));
            }
            sampleShape = declared;
        }
        List<Object> entries = list(json.get("layers"), where + ": \"layers\"");
        boolean graph = "graph".equals(type) || json.containsKey("inputs") || json.containsKey("outputs");
        for (Object o : entries) {
            if (o instanceof Map<?, ?> m && (m.containsKey("inputs") || m.containsKey("layer"))) graph = true;
        }
        if (graph && ("sequential".equals(type) || json.containsKey("input_shape"))) {
            throw new ConfigException(where + ": a graph (\"type\" graph, \"inputs\", \"outputs\" or \"layer\") takes no \"type\" "
                    + "sequential or \"input_shape\"; its \"inputs\" carry the shapes");
        }
        Module network;
        if (!graph) {
            Sequential seq = readSequential(entries, where);
            if (head != null) {
                if (sampleShape == null) throw new ConfigException(where + ": \"input_shape\" is missing");
                for (Layer l : head.apply(shapeThrough(seq, entries, sampleShape, where))) seq.add(l);
            }
            network = seq;
        } else {
            network = readGraph(json, sampleShape, head == null ? Function.identity() : node -> {
                Node n = node;
                for (Layer l : head.apply(n.shape())) n = l.on(n);
                return n;
            }, where);
        }
        if (json.get("seed") != null) network.seed(whole(json.get("seed"), where + ": \"seed\""));
        return network;
    }

    /** The per-sample output of a sequential list for {@code shape}; a layer that cannot take its input is named. */
    private static int[] shapeThrough(Sequential seq, List<Object> entries, int[] shape, String where) {
        int[] s = shape;
        List<Module> layers = seq.layers();
        for (int i = 0; i < layers.size() && s != null; i++) {
            try {
                s = layers.get(i).outputShape(List.of(s));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(label(object(entries.get(i), where), i, where) + ": cannot take samples of shape "
                        + Shape.str(s) + ": " + ex.getMessage(), ex);
            }
        }
        return s;
    }

    private static Sequential readSequential(List<Object> entries, String where) {
        Sequential seq = new Sequential();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> e = object(entries.get(i), where + ": layer " + i);
            String label = label(e, i, where);
            if (e.containsKey("inputs") || e.containsKey("layer")) {
                throw new ConfigException(label + ": \"inputs\" and \"layer\" belong to graphs, not to a sequential list");
            }
            Module m = readModule(e, label);
            if (m.name() != null && !names.add(m.name())) throw new ConfigException(label + ": the name is used twice");
            try {
                seq.add(m);
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(label + ": " + ex.getMessage(), ex);
            }
        }
        return seq;
    }

    private static Graph readGraph(Map<String, ?> json, int[] defaultInputShape, Function<Node, Node> head, String where) {
        Map<String, Node> nodes = new HashMap<>();
        Map<String, Module> modules = new HashMap<>();
        List<Node> inputs = new ArrayList<>();
        if (json.get("inputs") != null) {
            List<Object> declared = list(json.get("inputs"), where + ": \"inputs\"");
            for (int i = 0; i < declared.size(); i++) {
                String at = where + ": input " + i;
                Map<String, Object> d = object(declared.get(i), at);
                String name = string(d.get("name"), at + ": \"name\"");
                int[] shape = d.get("shape") != null ? shape(d.get("shape"), at + " '" + name + "': \"shape\"") : defaultInputShape;
                if (shape == null) throw new ConfigException(at + " '" + name + "': \"shape\" is missing");
                if (nodes.containsKey(name)) throw new ConfigException(at + ": the name '" + name + "' is used twice");
                Node in = Graph.input(name, shape);
                inputs.add(in);
                nodes.put(name, in);
            }
        } else {
            if (defaultInputShape == null) throw new ConfigException(where + ": \"inputs\" is missing");
            Node in = Graph.input("input", defaultInputShape);
            inputs.add(in);
            nodes.put("input", in);
        }
        List<Object> entries = list(json.get("layers"), where + ": \"layers\"");
        Node previous = inputs.size() == 1 ? inputs.get(0) : null;
        Map<Node, String> created = new java.util.IdentityHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> e = object(entries.get(i), where + ": layer " + i);
            String label = label(e, i, where);
            List<Node> from = new ArrayList<>();
            if (e.get("inputs") != null) {
                List<Object> names = list(e.get("inputs"), label + ": \"inputs\"");
                if (names.isEmpty()) throw new ConfigException(label + ": \"inputs\" is empty");
                for (Object o : names) {
                    String ref = string(o, label + ": \"inputs\"");
                    Node n = nodes.get(ref);
                    if (n == null) throw new ConfigException(label + ": input '" + ref + "' is not an earlier layer or a model input");
                    from.add(n);
                }
            } else {
                if (previous == null) throw new ConfigException(label + ": \"inputs\" is needed (the model has several inputs)");
                from.add(previous);
            }
            Module module;
            if (e.get("layer") != null) {
                String ref = string(e.get("layer"), label + ": \"layer\"");
                module = modules.get(ref);
                if (module == null) throw new ConfigException(label + ": \"layer\" '" + ref + "' is not an earlier layer");
                for (String k : e.keySet()) {
                    if (!Set.of("name", "layer", "inputs").contains(k)) throw new ConfigException(label + ": a reused layer takes no '" + k + "'");
                }
            } else {
                module = readModule(e, label);
            }
            Node node;
            try {
                node = module.on(from.toArray(new Node[0]));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(label + ": " + ex.getMessage(), ex);
            }
            String name = e.get("name") == null ? null : string(e.get("name"), label + ": \"name\"");
            if (name != null) {
                if (nodes.containsKey(name)) throw new ConfigException(label + ": the name '" + name + "' is used twice");
                nodes.put(name, node);
                if (e.get("layer") == null) modules.put(name, module);
            }
            previous = node;
            created.put(node, label);
        }
        if (previous == null) throw new ConfigException(where + ": \"layers\" is empty");
        Map<String, Node> outputs = new LinkedHashMap<>();
        if (json.get("outputs") != null) {
            for (Object o : list(json.get("outputs"), where + ": \"outputs\"")) {
                String outName;
                String ref;
                if (o instanceof Map<?, ?>) {
                    Map<String, Object> m = object(o, where + ": \"outputs\"");
                    outName = string(m.get("name"), where + ": output \"name\"");
                    ref = string(m.get("node"), where + ": output '" + outName + "' \"node\"");
                } else {
                    ref = string(o, where + ": \"outputs\"");
                    outName = ref;
                }
                Node n = nodes.get(ref);
                if (n == null) throw new ConfigException(where + ": output '" + ref + "' is not a layer");
                outputs.put(outName, n);
            }
        } else {
            outputs.put("output", previous);
        }
        if (outputs.size() == 1) {
            var only = outputs.entrySet().iterator().next();
            Node last = head.apply(only.getValue());
            outputs.put(only.getKey(), last);
        } else if (head != Function.<Node>identity()) {
            throw new ConfigException(where + ": the output layer can only be added to a model with one output, this one has " + outputs.size());
        }
        Graph graph;
        try {
            graph = new Graph(inputs, outputs);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(where + ": " + ex.getMessage(), ex);
        }
        // a layer no output depends on is almost always a mistyped "inputs" name: say so rather than drop it
        java.util.Set<Node> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        used.addAll(graph.nodes());
        for (var c : created.entrySet()) {
            if (!used.contains(c.getKey())) throw new ConfigException(c.getValue() + ": no output depends on this layer (check the \"inputs\" of the layers after it, or list it in \"outputs\")");
        }
        return graph;
    }

    private static Module readModule(Map<String, Object> e, String label) {
        String type = string(e.get("type"), label + ": \"type\"").trim().toLowerCase(java.util.Locale.ROOT);
        Module m;
        if (type.equals("sequential")) {
            for (String k : e.keySet()) {
                if (!Set.of("name", "type", "layers", "seed", "inputs").contains(k)) throw new ConfigException(label + ": unknown key '" + k + "'");
            }
            m = readSequential(list(e.get("layers"), label + ": \"layers\""), label);
        } else if (type.equals("graph")) {
            for (String k : e.keySet()) {
                if (!Set.of("name", "type", "graph", "seed", "inputs").contains(k)) throw new ConfigException(label + ": unknown key '" + k + "'");
            }
            m = readGraph(object(e.get("graph"), label + ": \"graph\""), null, Function.identity(), label);
        } else {
            m = Layers.create(type, e, Architecture.ENTRY_KEYS, label);
        }
        if (e.get("seed") != null) m.seed(whole(e.get("seed"), label + ": \"seed\""));
        if (e.get("name") != null) {
            try {
                m.named(string(e.get("name"), label + ": \"name\""));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(label + ": " + ex.getMessage(), ex);
            }
        }
        return m;
    }

    private static String label(Map<String, Object> e, int index, String where) {
        Object name = e.get("name");
        return where + ": layer " + (name instanceof String s ? "'" + s + "'" : Integer.toString(index));
    }

    // ---------------------------------------------------------------- JSON helpers with messages naming the place

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String where) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new ConfigException(where + ": expected an object, got " + ValueTypes.show(v));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v, String where) {
        if (v instanceof List<?> l) return (List<Object>) l;
        throw new ConfigException(where + ": expected a list, got " + (v == null ? "nothing" : ValueTypes.show(v)));
    }

    private static String string(Object v, String where) {
        if (v instanceof String s) return s;
        throw new ConfigException(where + ": expected a string, got " + (v == null ? "nothing" : ValueTypes.show(v)));
    }

    private static long whole(Object v, String where) {
        if (v instanceof Long l) return l;
        if (v instanceof Integer i) return i;
        throw new ConfigException(where + ": expected a whole number, got " + ValueTypes.show(v));
    }

    private static int[] shape(Object v, String where) {
        List<Object> l = list(v, where);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            long d = whole(l.get(i), where);
            if (d < 1 || d > Integer.MAX_VALUE) throw new ConfigException(where + ": bad size " + d + " in " + l);
            out[i] = (int) d;
        }
        if (Shape.size(out) <= 0) throw new ConfigException(where + ": bad shape " + l);
        return out;
    }
}
