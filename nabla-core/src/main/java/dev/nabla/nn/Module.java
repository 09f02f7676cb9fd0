package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A piece of a network with parameters and a forward pass, like PyTorch's {@code nn.Module}. Subclasses register
 * their parameters, buffers (state that is saved but not trained, such as running statistics) and child modules,
 * and implement {@link #forward}.
 *
 * <pre>{@code
 * class TwoLayer extends Module {
 *     final Dense hidden = register("hidden", new Dense(64));
 *     final Dense out = register("out", new Dense(10));
 *     public Tensor forward(Tensor x) { return out.forward(hidden.forward(x).relu()); }
 * }
 * }</pre>
 *
 * <p>Weights start from a seed and their path in the model: a parameter's first draw comes from the seed of the
 * nearest enclosing module that was given one ({@link #seed(long)}; 0 if none was) and the parameter's dotted path
 * below that module, so the same seed gives the same weights whatever else the model holds.
 *
 * <p>Modules compose: any module can be a child of another, an element of a {@link Sequential} or a node of a
 * {@link Graph} ({@link #on}).
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private Module parent;
    private String nameInParent;
    private String name;
    private Long seed;

    /** Computes this module's output for a batch. */
    public abstract Tensor forward(Tensor x);

    /** The output for several inputs (a graph node with several inputs); one input goes to {@link #forward(Tensor)}. */
    public Tensor forward(List<Tensor> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(describe() + ": takes one input, got " + inputs.size());
        }
        return forward(inputs.get(0));
    }

    /**
     * The per-sample output shape for per-sample input shapes (without the batch axis), or null where the module
     * cannot tell before it runs (a custom module). Throws a ShapeException naming the module for inputs it cannot take.
     */
    public int[] outputShape(List<int[]> inputShapes) {
        return null;
    }

    /** Creates the weights for inputs of these per-sample shapes, if the module can before it runs. */
    public void build(List<int[]> inputShapes) {
    }

    /** This module applied to graph nodes: the node of its output, for building a {@link Graph}. */
    public Node on(Node... inputs) {
        return Node.of(this, List.of(inputs));
    }

    /** Gives the module a name (its path in the model when it is a graph node or named in a Sequential). Returns it. */
    @SuppressWarnings("unchecked")
    public final <M extends Module> M named(String name) {
        if (parent != null) throw new IllegalStateException(describe() + ": name it before adding it to a model");
        checkName(name);
        this.name = name;
        return (M) this;
    }

    /** The name given by {@link #named}, or null. */
    public final String name() {
        return name;
    }

    /** Sets the seed its weights (and those of its children) start from. Returns this module. */
    public Module seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The seed given to this module itself, or null. */
    public final Long ownSeed() {
        return seed;
    }

    /** For messages and summaries: the module's kind. */
    public String describe() {
        return getClass().getSimpleName();
    }

    /**
     * A generator for the first values of {@code parameter} of this module: from the nearest seeded enclosing module's
     * seed and the path from there ({@code "block.0.weight"}).
     */
    protected final RandomGenerator random(String parameter) {
        StringBuilder path = new StringBuilder(parameter);
        Module m = this;
        while (m.seed == null && m.parent != null) {
            path.insert(0, m.nameInParent + ".");
            m = m.parent;
        }
        long root = m.seed == null ? 0 : m.seed;
        return new SplittableRandom(mix(root, path.toString()));
    }

    private static long mix(long seed, String path) {
        // FNV-1a over the path's bytes, then a SplitMix64 finaliser with the seed: stable across JVMs and releases
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Registers a trainable tensor under a name; it is marked as requiring gradients. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        checkFree(name);
        value.requiresGrad(true);
        // kernels may keep converted copies of a parameter's array (bf16 weights), dropped when it is written
        dev.nabla.kernel.ParameterArrays.register(value.data());
        parameters.put(name, value);
        return value;
    }

    /** Registers a saved, untrained tensor (e.g. running mean) under a name. Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        checkFree(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under a name. Returns it. */
    protected final <M extends Module> M register(String name, M module) {
        checkName(name);
        if (module == this) throw new IllegalArgumentException(describe() + ": a module cannot contain itself");
        for (Module m = this; m != null; m = m.parent) {
            if (m == module) throw new IllegalArgumentException(describe() + ": '" + name + "' would contain itself");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + describe());
        }
        children.put(name, module);
        // a module shared by two parents takes its path (and so its initial weights) from the first
        Module child = module;
        if (child.parent == null) {
            child.parent = this;
            child.nameInParent = name;
        }
        return module;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("invalid name '" + name + "': must be non-empty without '.'");
    }

    private void checkFree(String name) {
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + describe());
        }
    }

    /** All trainable tensors of this module and its children, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Trainable tensors by dotted path, e.g. {@code "0.weight"}. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, true, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    /** Untrained saved tensors by dotted path, e.g. {@code "1.runningMean"}. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, false, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, boolean params, java.util.Set<Tensor> seen) {
        // a tensor reached twice (a module shared by two parents) is listed once, under its first path
        for (var e : (params ? m.parameters : m.buffers).entrySet()) {
            if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : m.children.entrySet()) collect(e.getValue(), prefix + e.getKey() + ".", out, params, seen);
    }

    /**
     * Why the values just loaded into this module's own buffers cannot be used (e.g. a deviation that is not
     * positive), naming the buffer, or null when they can. A model file's loader refuses such a file; children answer
     * for their own buffers. Default: any loaded values will do.
     */
    protected String loadedBufferProblem() {
        return null;
    }

    /** The first {@link #loadedBufferProblem} in this module tree as {@code "path: problem"}, or null when there is none. */
    public final String loadedBuffersProblem() {
        return loadedProblem(this, "", java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static String loadedProblem(Module m, String path, java.util.Set<Module> seen) {
        if (!seen.add(m)) return null;
        String own = m.loadedBufferProblem();
        if (own != null) return (path.isEmpty() ? m.describe() : "layer '" + path + "'") + ": " + own;
        for (var e : m.children.entrySet()) {
            String p = loadedProblem(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), seen);
            if (p != null) return p;
        }
        return null;
    }

    /** Child modules by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Training mode (dropout active, batch statistics used) or inference mode; applies to all children. */
    public void train(boolean on) {
        training = on;
        for (Module child : children.values()) child.train(on);
    }

    /** Whether this module computes in training mode: its flag, unless this thread is in {@link InferenceMode}. */
    public final boolean isTraining() {
        return training && !InferenceMode.isActive();
    }

    /** Passes a per-step seed to every {@link StepSeeded} module in this tree (see {@code Model.fit}). */
    public final void seedTrainingStep(long seed) {
        if (this instanceof StepSeeded seeded) seeded.seedStep(seed);
        long childSeed = seed;
        for (Module child : children.values()) {
            // a distinct, deterministic seed per child, so two dropout layers never share a mask
            childSeed = childSeed * 0x9E3779B97F4A7C15L + 1;
            child.seedTrainingStep(childSeed);
        }
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.size();
        return n;
    }

    /** Sets every parameter's gradient to zero. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }
}
