package dev.nabla.tensor;

/**
 * A limit on the floats that new tensors made by the factories ({@code zeros}, {@code full}, {@code uniform},
 * {@code normal}) may take on this thread while a file is being read: a model file's architecture can claim any
 * size, and its weights are only checked against the network after the network exists. The loader sets the budget
 * from the weights actually in the file, so a lying architecture fails before it allocates, not with an
 * OutOfMemoryError.
 */
public final class AllocationBudget {

    private static final ThreadLocal<long[]> LEFT = new ThreadLocal<>();

    private AllocationBudget() {
    }

    /** Runs {@code body} with at most {@code floats} floats for new tensors; more is an {@link IllegalStateException}. */
    public static <T, E extends Exception> T limit(long floats, Body<T, E> body) throws E {
        long[] previous = LEFT.get();
        LEFT.set(new long[]{floats});
        try {
            return body.run();
        } finally {
            if (previous == null) LEFT.remove(); else LEFT.set(previous);
        }
    }

    /** Code run under a budget. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        T run() throws E;
    }

    static void spend(int[] shape) {
        long[] left = LEFT.get();
        if (left == null) return;
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new ShapeException("negative dimension in " + Shape.str(shape));
            n = Math.multiplyExact(n, (long) d);
        }
        if (n > left[0]) {
            throw new IllegalStateException("the network would need a tensor of shape " + Shape.str(shape)
                    + " (" + n + " floats), more than the file's weights hold");
        }
        left[0] -= n;
    }
}
