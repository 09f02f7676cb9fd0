package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for a batch. */
    public abstract Tensor forward(Tensor x);

    /** Registers a trainable tensor under a name; it is marked as requiring gradients. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a saved, untrained tensor (e.g. running mean) under a name. Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under a name. Returns it. */
    protected final <M extends Module> M register(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("invalid name '" + name + "': must be non-empty without '.'");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** All trainable tensors of this module and its children, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Trainable tensors by dotted path, e.g. {@code "0.weight"}. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, true);
        return out;
    }

    /** Untrained saved tensors by dotted path, e.g. {@code "1.runningMean"}. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, false);
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, boolean params) {
        for (var e : (params ? m.parameters : m.buffers).entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : m.children.entrySet()) collect(e.getValue(), prefix + e.getKey() + ".", out, params);
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

    public final boolean isTraining() {
        return training;
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
