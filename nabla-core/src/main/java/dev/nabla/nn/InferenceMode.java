package dev.nabla.nn;

import dev.nabla.autograd.ThreadScopes;

/**
 * Inference on this thread, whatever the modules' training flags say: dropout off, batch normalisation on its running
 * statistics (which stay as they are). {@code Model.predict} and {@code evaluate} run in it instead of flipping the
 * network's shared flag, so that predictions from several threads, or during training on another, neither disturb one
 * another nor the model ({@code Module.train} would change the mode for every thread at once).
 *
 * <pre>{@code
 * try (var ignored = InferenceMode.enter()) {
 *     Tensor y = network.forward(x);   // as in network.train(false), for this thread only
 * }
 * }</pre>
 */
public final class InferenceMode {

    private static final ThreadScopes ACTIVE = new ThreadScopes();

    private InferenceMode() {
    }

    /** True inside an {@link #enter()} scope on this thread. */
    public static boolean isActive() {
        return ACTIVE.active();
    }

    /** Enters inference mode on this thread; close the scope (try-with-resources) to leave. Scopes nest. */
    public static ThreadScopes.Scope enter() {
        return ACTIVE.enter();
    }
}
