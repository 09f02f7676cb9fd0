package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A network of modules wired as a graph (Keras' functional API): named inputs, named outputs, several of each;
 * residual connections and merges ({@link Add}, {@link Concat}, {@link Multiply}); a module applied twice shares its
 * weights. Any module can be a node, a {@link Sequential} or another graph included.
 *
 * <pre>{@code
 * Node image = Graph.input("image", 1, 28, 28);
 * Node stem = new Conv2D(new Conv2D.Config(16, new int[]{3}, Activation.RELU, Padding.SAME, ...)).on(image);
 * Node block = new Conv2D(...).on(stem);
 * Node out = new Dense(10).on(new GlobalAveragePool().on(new Add().on(block, stem)));
 * Graph net = Graph.of(image, out);
 * }</pre>
 *
 * <p>Modules are registered under their names ({@link Module#named}, else the layer type: {@code conv2d},
 * {@code conv2d_1}, ...), so weights have paths like {@code "conv2d_1.weight"}.
 */
public final class Graph extends Module {

    private final List<Node> inputs;
    private final Map<String, Node> outputs;
    private final List<Node> nodes;
    private final Map<Node, String> nodeNames = new IdentityHashMap<>();
    private final Map<Module, String> moduleNames = new IdentityHashMap<>();
    private final Map<Node, List<Node>> consumers = new IdentityHashMap<>();
    private List<Step> plan;

    /** One step of the forward pass: a node, or two nodes in a row run as one fused op. */
    private record Step(Node node, Node fusedInto, Fusion fusion) {
    }

    /** A graph input of per-sample shape {@code shape} (without the batch axis). */
    public static Node input(String name, int... shape) {
        return Node.input(name, shape);
    }

    /** A graph of one input and one output named {@code "output"}. */
    public static Graph of(Node input, Node output) {
        return new Graph(List.of(input), List.of(output));
    }

    /** Outputs named after their nodes. */
    public Graph(List<Node> inputs, List<Node> outputs) {
        this(inputs, namedByNode(outputs));
    }

    private static Map<String, Node> namedByNode(List<Node> outputs) {
        Map<String, Node> m = new LinkedHashMap<>();
        for (Node n : outputs) m.put(null + "#" + m.size(), n);
        return m;
    }

    /**
     * @param inputs  the graph's inputs, in the order {@link #forward(List)} takes them
     * @param outputs the outputs by name, in order
     */
    public Graph(List<Node> inputs, Map<String, Node> outputs) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("graph: needs at least one input");
        if (outputs.isEmpty()) throw new IllegalArgumentException("graph: needs at least one output");
        Set<String> inputNames = new HashSet<>();
        for (Node in : inputs) {
            if (!in.isInput()) throw new IllegalArgumentException("graph: " + in + " is not an input node (use Graph.input)");
            if (!inputNames.add(in.inputName())) throw new IllegalArgumentException("graph: two inputs are named '" + in.inputName() + "'");
        }
        this.inputs = List.copyOf(inputs);
        this.nodes = topologicalOrder(outputs.values());
        for (Node in : inputs) nodeNames.put(in, in.inputName());
        nameModules();
        Map<String, Node> named = new LinkedHashMap<>();
        for (var e : outputs.entrySet()) {
            String name = e.getKey().startsWith("null#") ? nodeNames.get(e.getValue()) : e.getKey();
            if (named.put(name, e.getValue()) != null) throw new IllegalArgumentException("graph: two outputs are named '" + name + "'");
        }
        this.outputs = named;
        for (Node n : nodes) for (Node in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
    }

    private List<Node> topologicalOrder(java.util.Collection<Node> outputs) {
        List<Node> order = new ArrayList<>();
        Set<Node> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node out : outputs) visit(out, done, order);
        return order;
    }

    private void visit(Node node, Set<Node> done, List<Node> order) {
        // nodes are made from existing nodes only, so there are no cycles; iterative to allow very deep graphs
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> next = new java.util.ArrayDeque<>();
        stack.push(node);
        next.push(0);
        while (!stack.isEmpty()) {
            Node n = stack.peek();
            if (done.contains(n)) {
                stack.pop();
                next.pop();
                continue;
            }
            if (n.isInput()) {
                if (!inputs.contains(n)) {
                    throw new IllegalArgumentException("graph: the outputs depend on " + n + ", which is not one of the graph's inputs");
                }
                done.add(n);
                continue;
            }
            int i = next.pop();
            if (i < n.inputs().size()) {
                next.push(i + 1);
                stack.push(n.inputs().get(i));
                next.push(0);
            } else {
                stack.pop();
                done.add(n);
                order.add(n);
            }
        }
    }

    private void nameModules() {
        Set<String> taken = new HashSet<>();
        for (Node in : inputs) taken.add(in.inputName());
        for (Node n : nodes) if (n.module().name() != null && !moduleNames.containsKey(n.module())) {
            if (!taken.add(n.module().name())) throw new IllegalArgumentException("graph: two nodes are named '" + n.module().name() + "'");
            moduleNames.put(n.module(), n.module().name());
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<Module, Integer> calls = new IdentityHashMap<>();
        for (Node n : nodes) {
            Module m = n.module();
            String name = moduleNames.get(m);
            if (name == null) {
                String base = baseName(m);
                do {
                    int k = counts.merge(base, 1, Integer::sum) - 1;
                    name = k == 0 ? base : base + "_" + k;
                } while (!taken.add(name));
                moduleNames.put(m, name);
            }
            int call = calls.merge(m, 1, Integer::sum);
            if (call == 1) {
                register(name, m);
                nodeNames.put(n, name);
            } else {
                String nodeName = name + "_call" + call;
                while (!taken.add(nodeName)) nodeName = nodeName + "_";
                nodeNames.put(n, nodeName);
            }
        }
    }

    private static String baseName(Module m) {
        if (m instanceof Layer l) return l.type();
        if (m instanceof Sequential) return "sequential";
        if (m instanceof Graph) return "graph";
        return m.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The seed for weight initialisation (see {@link Module}); set it before the graph is built. Returns this graph. */
    @Override
    public Graph seed(long seed) {
        super.seed(seed);
        return this;
    }

    public List<Node> inputs() {
        return inputs;
    }

    /** The outputs by name. */
    public Map<String, Node> outputs() {
        return java.util.Collections.unmodifiableMap(outputs);
    }

    /** Every computed node, inputs before the nodes that read them. */
    public List<Node> nodes() {
        return java.util.Collections.unmodifiableList(nodes);
    }

    /** A node's name: the input's, the module's for its first call, {@code name_callK} for later calls. */
    public String nameOf(Node node) {
        return nodeNames.get(node);
    }

    /** The name a module is registered under in this graph. */
    public String nameOf(Module module) {
        return moduleNames.get(module);
    }

    /** Builds every module whose input shapes are known. Returns this graph. */
    public Graph build() {
        for (Node n : nodes) {
            List<int[]> shapes = inputShapes(n);
            if (shapes != null) n.module().build(shapes);
        }
        return this;
    }

    private static List<int[]> inputShapes(Node n) {
        List<int[]> shapes = new ArrayList<>();
        for (Node in : n.inputs()) {
            if (in.shape() == null) return null;
            shapes.add(in.shape());
        }
        return shapes;
    }

    @Override
    public void build(List<int[]> inputShapes) {
        checkShapes(inputShapes);
        build();
    }

    private void checkShapes(List<int[]> shapes) {
        if (shapes.size() != inputs.size()) throw new ShapeException("graph: takes " + inputs.size() + " inputs, got " + shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            if (!Arrays.equals(shapes.get(i), inputs.get(i).shape())) {
                throw new ShapeException("graph: input '" + inputs.get(i).inputName() + "' takes samples of shape "
                        + Shape.str(inputs.get(i).shape()) + ", got " + Shape.str(shapes.get(i)));
            }
        }
    }

    @Override
    public int[] outputShape(List<int[]> inputShapes) {
        checkShapes(inputShapes);
        if (outputs.size() != 1) return null;
        return outputs.values().iterator().next().shape();
    }

    /** Runs the graph on inputs by name; returns the outputs by name. */
    public Map<String, Tensor> forward(Map<String, Tensor> values) {
        List<Tensor> ordered = new ArrayList<>();
        for (Node in : inputs) {
            Tensor t = values.get(in.inputName());
            if (t == null) throw new IllegalArgumentException("graph: input '" + in.inputName() + "' is missing (got " + values.keySet() + ")");
            ordered.add(t);
        }
        if (values.size() != inputs.size()) {
            throw new IllegalArgumentException("graph: takes inputs " + inputNames() + ", got " + values.keySet());
        }
        return run(ordered);
    }

    private List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (Node in : inputs) names.add(in.inputName());
        return names;
    }

    /** Runs the graph on inputs in {@link #inputs()} order; a graph of one output returns it. */
    @Override
    public Tensor forward(List<Tensor> values) {
        Map<String, Tensor> out = run(values);
        if (out.size() != 1) throw new IllegalStateException("graph: has " + out.size() + " outputs; use forward(Map)");
        return out.values().iterator().next();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(List.of(x));
    }

    private Map<String, Tensor> run(List<Tensor> values) {
        if (values.size() != inputs.size()) {
            throw new IllegalArgumentException("graph: takes " + inputs.size() + " inputs " + inputNames() + ", got " + values.size());
        }
        Map<Node, Tensor> computed = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Node in = inputs.get(i);
            Tensor t = values.get(i);
            int[] sample = t.rank() == 0 ? new int[0] : Arrays.copyOfRange(t.shape(), 1, t.rank());
            if (!Arrays.equals(sample, in.shape()) && !otherLength(sample, in.shape())) {
                throw new ShapeException("graph: input '" + in.inputName() + "' takes [batch, " + Shape.str(in.shape()).substring(1)
                        + ", got " + Shape.str(t.shape()));
            }
            computed.put(in, t);
        }
        // a value nothing reads any more is dropped at once: without gradients it is garbage then, which keeps
        // inference on large batches to the few values alive at a time instead of every node's output
        Map<Node, Integer> readsLeft = new IdentityHashMap<>();
        for (Node n : nodes) for (Node in : n.inputs()) readsLeft.merge(in, 1, Integer::sum);
        for (Step step : plan()) {
            Node n = step.node();
            List<Tensor> args = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) args.add(computed.get(in));
            if (step.fusion() != null) {
                computed.put(step.fusedInto(), step.fusion().apply(n.module(), step.fusedInto().module(), args));
                readsLeft.merge(n, -1, Integer::sum);
                release(n, readsLeft, computed);
            } else {
                computed.put(n, n.module().forward(args));
            }
            for (Node in : n.inputs()) {
                readsLeft.merge(in, -1, Integer::sum);
                release(in, readsLeft, computed);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : outputs.entrySet()) out.put(e.getKey(), computed.get(e.getValue()));
        return out;
    }

    private void release(Node node, Map<Node, Integer> readsLeft, Map<Node, Tensor> computed) {
        if (readsLeft.getOrDefault(node, 0) <= 0 && !outputs.containsValue(node)) computed.remove(node);
    }

    private List<Step> plan() {
        if (plan != null) return plan;
        build();
        List<Step> steps = new ArrayList<>();
        Set<Node> absorbed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        boolean complete = true;
        for (Node n : nodes) {
            if (absorbed.contains(n)) continue;
            List<Node> readers = consumers.getOrDefault(n, List.of());
            Fusion fusion = null;
            Node next = null;
            if (readers.size() == 1 && !outputs.containsValue(n) && readers.get(0).inputs().size() == 1) {
                next = readers.get(0);
                fusion = Fusions.find(n.module(), next.module());
                if (!builtFor(n) || !builtFor(next)) complete = false;
            }
            if (fusion != null) {
                steps.add(new Step(n, next, fusion));
                absorbed.add(next);
            } else {
                steps.add(new Step(n, null, null));
            }
        }
        // modules built only while running (custom modules) may allow fusions later: plan again then
        // immutable: its final fields make the plan safe to read from other threads once published
        if (complete) plan = List.copyOf(steps);
        return steps;
    }

    private static boolean builtFor(Node n) {
        return !(n.module() instanceof Layer l) || l.isBuilt();
    }

    /**
     * A sequence of another length than the input was declared with (same rank, same features): its layers decide
     * whether they take it ({@link Layer#fitsBuiltShape}), as Keras' {@code Input(shape=(None, F))} lets them.
     */
    private static boolean otherLength(int[] sample, int[] declared) {
        return sample.length == declared.length && sample.length >= 1
                && (sample.length == 1 || sample[sample.length - 1] == declared[declared.length - 1]);
    }

    /** A table of the nodes: name (type), inputs, output shape, parameters (shared modules count once). */
    public String summary() {
        List<String[]> rows = new ArrayList<>();
        for (Node in : inputs) rows.add(new String[]{in.inputName() + " (input)", "", batch(in.shape()), "0"});
        Set<Module> counted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : nodes) {
            StringBuilder from = new StringBuilder();
            for (Node in : n.inputs()) from.append(from.length() == 0 ? "" : ", ").append(nodeNames.get(in));
            long params = counted.add(n.module()) ? n.module().parameterCount() : 0;
            rows.add(new String[]{nodeNames.get(n) + " (" + Summaries.kind(n.module()) + ")", from.toString(), batch(n.shape()),
                    String.format(Locale.ROOT, "%,d", params)});
        }
        return Summaries.table(new String[]{"Layer (type)", "Inputs", "Output shape", "Param #"}, rows, parameterCount(),
                nodes.stream().allMatch(Graph::builtFor));
    }

    static String batch(int[] shape) {
        return shape == null ? "?" : "[batch, " + Shape.str(shape).substring(1);
    }

    @Override
    public String describe() {
        return "graph";
    }
}
