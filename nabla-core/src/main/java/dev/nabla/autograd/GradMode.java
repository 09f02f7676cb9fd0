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

    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {
    }

    /** True unless inside a {@link #noGrad()} scope on this thread. */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** Enters a scope in which no op is recorded; close it (try-with-resources) to leave. Scopes nest. */
    public static Scope noGrad() {
        DISABLED_DEPTH.get()[0]++;
        return new Scope();
    }

    /** A no-grad scope; closing it restores recording if it was the outermost one. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            DISABLED_DEPTH.get()[0]--;
        }
    }
}
