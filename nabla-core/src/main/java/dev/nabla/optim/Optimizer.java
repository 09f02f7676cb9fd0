package dev.nabla.optim;

import dev.nabla.config.ConfigCodec;
import dev.nabla.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Subclasses implement {@link #update} for one parameter; the base class
 * holds the parameter list, the learning rate and the step count.
 *
 * <p>Optimizer state (momentum buffers, moment estimates) is exposed by {@link #state()} as named float arrays,
 * so a saved model can resume training exactly where it stopped.
 */
public abstract class Optimizer {

    protected final List<Tensor> parameters;
    private float learningRate;
    private long steps;

    protected Optimizer(List<Tensor> parameters, float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be a finite number >= 0, got " + learningRate);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            Tensor g = p.grad();
            if (g == null) continue;
            if (!g.isContiguous() || g.offset() != 0) {
                // the update loops read the gradient as a flat array from index 0
                g = g.materialize(true);
                p.setGrad(g);
            }
            update(i, p.data(), g.data(), p.size());
        }
        dev.nabla.kernel.ParameterArrays.modified();
    }

    /**
     * Updates parameter {@code index} in place: {@code size} values of {@code param}, with the gradient in
     * {@code grad}, both from index 0 (loops that index every array by the loop variable alone vectorise).
     * {@link #steps()} already counts this step.
     */
    protected abstract void update(int index, float[] param, float[] grad, int size);

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Tensor p : parameters) p.zeroGrad();
    }

    public float learningRate() {
        return learningRate;
    }

    public void setLearningRate(float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(name() + ": learning rate must be a finite number >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** Number of {@link #step()} calls so far. */
    public long steps() {
        return steps;
    }

    public List<Tensor> parameters() {
        return parameters;
    }

    /** The name used in logs and saved models, e.g. {@code "adam"}. */
    public abstract String name();

    /**
     * The typed settings that recreate this optimizer, with the current learning rate: a record registered in
     * {@link Optimizers} (e.g. {@link Adam.Config}), saved in model files as {@code {"type": ..., key: value...}}.
     */
    public abstract Record config();

    /**
     * The settings besides the learning rate as numbers, booleans as 1 or 0: the form format-1 model files stored
     * and {@link Optimizers#create(String, List, float, Map)} reads. Derived from {@link #config()}.
     */
    public Map<String, Double> hyperparameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        for (var e : ConfigCodec.encode(config()).entrySet()) {
            if (e.getKey().equals(Optimizers.LEARNING_RATE)) continue;
            if (e.getValue() instanceof Boolean b) h.put(e.getKey(), b ? 1.0 : 0.0);
            else if (e.getValue() instanceof Number n) h.put(e.getKey(), n.doubleValue());
        }
        return Collections.unmodifiableMap(h);
    }

    /** Per-parameter state by name (e.g. {@code "3.exp_avg"}); the arrays are live, not copies. */
    public abstract Map<String, float[]> state();

    /** Restores state saved from {@link #state()} and {@link #steps()}; names and sizes must match. */
    public void loadState(Map<String, float[]> saved, long steps) {
        Map<String, float[]> live = state();
        for (var e : saved.entrySet()) {
            float[] target = live.get(e.getKey());
            if (target == null || target.length != e.getValue().length) {
                throw new IllegalArgumentException(name() + ": saved optimizer state '" + e.getKey()
                        + "' does not fit this model's parameters");
            }
            System.arraycopy(e.getValue(), 0, target, 0, target.length);
        }
        this.steps = steps;
    }
}
