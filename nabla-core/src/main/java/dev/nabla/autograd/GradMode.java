package dev.nabla.autograd;

/**
 * Whether ops record the graph for {@code backward()} on this thread.
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *     Tensor prediction = model.forward(x);   // nothing recorded, no gradients kept
 * }
 * }</pre>
 */
public final class GradMode {

    private static final ThreadScopes DISABLED = new ThreadScopes();

    private GradMode() {
    }

    /** True unless inside a {@link #noGrad()} scope on this thread. */
    public static boolean isEnabled() {
        return !DISABLED.active();
    }

    /** Enters a scope in which no op is recorded; close it (try-with-resources) to leave. Scopes nest. */
    public static ThreadScopes.Scope noGrad() {
        return DISABLED.enter();
    }
}
