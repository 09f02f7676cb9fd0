package dev.nabla.autograd;

/**
 * A per-thread switch that nests: {@link #enter()} turns it on for this thread until the returned scope is closed
 * (try-with-resources). What {@link GradMode#noGrad()} and {@code nn.InferenceMode} are made of.
 */
public final class ThreadScopes {

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** True inside an {@link #enter()} scope on this thread. */
    public boolean active() {
        return depth.get()[0] > 0;
    }

    /** Enters a scope on this thread; scopes nest, and closing one twice does nothing. */
    public Scope enter() {
        depth.get()[0]++;
        return new Scope();
    }

    /** One entered scope. */
    public final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            depth.get()[0]--;
        }
    }
}
