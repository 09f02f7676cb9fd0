package dev.nabla.autograd;

import dev.nabla.tensor.Tensor;

/**
 * A recorded op in the dynamic graph: it knows its inputs and how to turn the gradient of its output into gradients
 * of those inputs. Each op in {@code dev.nabla.ops} extends this class and keeps its forward computation (a static
 * {@code apply}) next to its {@link #backward}.
 */
public abstract class Function {

    private Tensor[] inputs;
    private Tensor output;
    private Tensor pendingGrad;
    private boolean pendingOwned;
    private boolean released;

    /**
     * Records this function as the creator of {@code output} if grad mode is on and an input needs a gradient.
     * Returns {@code output} for chaining.
     */
    protected final Tensor record(Tensor output, Tensor... inputs) {
        if (!needsGrad(inputs)) return output;
        this.inputs = inputs;
        this.output = output;
        output.setGradFn(this);
        return output;
    }

    /** True when grad mode is on and any of the inputs requires a gradient: only then is saving state worth it. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Given the gradient of the loss with respect to this op's output, returns the gradient with respect to each
     * input, in the order they were recorded (an entry may be null for an input that needs none). Runs with grad mode
     * off.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Whether the recorded input at {@code index} wants a gradient; backward may skip the work for the others. */
    protected final boolean needsInputGrad(int index) {
        return inputs != null && inputs[index] != null && inputs[index].requiresGrad();
    }

    /** Drops what this op saved for its backward pass; called once the pass is done so buffers can be reclaimed. */
    protected void releaseSaved() {
    }

    /** A short name for messages, e.g. {@code "MatMul"}. */
    public String name() {
        return getClass().getSimpleName();
    }

    Tensor[] inputs() {
        return inputs;
    }

    /**
     * Adds a gradient for this op's output. The first one is kept as it is (it may be shared with another input's
     * gradient); only a sum this method made itself is ever added to in place.
     */
    void accumulate(Tensor grad) {
        if (pendingGrad == null) {
            pendingGrad = grad;
        } else if (pendingOwned) {
            Accumulate.addInPlace(pendingGrad, grad);
        } else {
            pendingGrad = pendingGrad.add(grad);
            pendingOwned = true;
        }
    }

    Tensor takePendingGrad() {
        Tensor g = pendingGrad;
        pendingGrad = null;
        pendingOwned = false;
        return g;
    }

    boolean isReleased() {
        return released;
    }

    void release() {
        if (released) return;
        released = true;
        releaseSaved();
        if (output != null && output.gradFn() == this) output.setGradFn(null);
        output = null;
        inputs = null;
        pendingGrad = null;
    }
}
