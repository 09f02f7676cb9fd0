package dev.nabla.tensor;

import java.util.Arrays;

/**
 * Arrays for one training step that the next step reuses: what keeps {@code Model.fit}'s steps from allocating
 * their activations and gradients afresh each time (about 1.9 MB per step of the benchmark's {@code mlp} at batch
 * 128, most of it the weight gradients' products).
 *
 * <p>{@code Model} opens a scope around a step's forward pass, loss and backward pass; ops take their output and
 * gradient buffers with {@link #floats(int)}. When the scope closes, every array handed out in it goes back to this
 * thread's free lists, where the next step's requests of the same length find it. So nothing that ops make inside a
 * scope may be kept past it: parameter gradients are copied into buffers of their own ({@link Tensor#accumulateGrad}),
 * metrics copy what they keep, and the optimizer runs after the scope. Outside a scope, and on any other thread,
 * {@link #floats(int)} is plain {@code new float[n]}.
 *
 * <p>The free lists hold at most the arrays of the last step: at each close, arrays that the step did not ask for are
 * dropped (a smaller last batch, a change of shape). {@code -Dnabla.stepArena=false} or {@link #reuse(boolean)} turns reuse off (to compare);
 * {@link #poisonReleased} fills released arrays with NaN, which is how the layer harness proves that nothing escapes.
 */
public final class StepArena {

    private static volatile boolean reuse = !"false".equals(System.getProperty("nabla.stepArena", "true").trim());
    private static volatile boolean poison;
    private static final ThreadLocal<StepArena> ARENA = ThreadLocal.withInitial(StepArena::new);

    /** Lengths that have a free list, and the free arrays of each, as stacks with {@link #freeCounts}. */
    private int[] lengths = new int[16];
    private float[][][] free = new float[16][][];
    private int[] freeCounts = new int[16];
    private int kinds;
    /** Arrays handed out in the open scope. */
    private float[][] leased = new float[64][];
    private int leasedCount;
    private int depth;

    private StepArena() {
    }

    /**
     * A zero-filled array of {@code n} floats: one the last step used, inside an open scope on this thread, else
     * a new one.
     */
    public static float[] floats(int n) {
        if (!reuse) return new float[n];
        StepArena arena = ARENA.get();
        return arena.depth == 0 ? new float[n] : arena.take(n);
    }

    /**
     * {@code rows} zero-filled arrays of {@code n} floats each, each as {@link #floats(int)} gives it: for ops that
     * keep their work as rows (attention's rows per position and feature).
     */
    public static float[][] rows(int rows, int n) {
        float[][] r = new float[rows][];
        if (!reuse) {
            for (int i = 0; i < rows; i++) r[i] = new float[n];
            return r;
        }
        StepArena arena = ARENA.get();
        for (int i = 0; i < rows; i++) r[i] = arena.depth == 0 ? new float[n] : arena.take(n);
        return r;
    }

    /**
     * Opens a scope on this thread, for try-with-resources. Scopes nest; the arrays go back when the outermost one
     * closes.
     */
    public static Scope open() {
        StepArena arena = ARENA.get();
        arena.depth++;
        return arena.scope;
    }

    /** Whether a scope is open on this thread. */
    public static boolean active() {
        return reuse && ARENA.get().depth > 0;
    }

    /** Turns reuse on or off for the whole JVM, as {@code -Dnabla.stepArena} does at start-up (to compare). */
    public static void reuse(boolean on) {
        reuse = on;
    }

    /** For tests: fill every released array with NaN, so that a tensor kept past its step shows it. */
    public static void poisonReleased(boolean on) {
        poison = on;
    }

    private final Scope scope = new Scope();

    /** An open scope; closing it more often than it was opened does nothing. */
    public final class Scope implements AutoCloseable {
        private Scope() {
        }

        @Override
        public void close() {
            if (depth == 0) return;
            if (--depth == 0) release();
        }
    }

    private float[] take(int n) {
        int kind = kindOf(n);
        float[] array;
        if (kind >= 0 && freeCounts[kind] > 0) {
            array = free[kind][--freeCounts[kind]];
            free[kind][freeCounts[kind]] = null;
            Arrays.fill(array, 0f);
        } else {
            array = new float[n];
        }
        if (leasedCount == leased.length) leased = Arrays.copyOf(leased, leasedCount * 2);
        leased[leasedCount++] = array;
        return array;
    }

    /** Drops the arrays this step left unused, then files the ones it used under their lengths. */
    private void release() {
        for (int k = 0; k < kinds; k++) {
            Arrays.fill(free[k], 0, freeCounts[k], null);
            freeCounts[k] = 0;
        }
        kinds = 0;   // only this step's lengths stay on the list (the stacks themselves are kept for reuse)
        boolean fill = poison;
        for (int i = 0; i < leasedCount; i++) {
            float[] array = leased[i];
            leased[i] = null;
            if (fill) Arrays.fill(array, Float.NaN);
            push(array);
        }
        leasedCount = 0;
    }

    private void push(float[] array) {
        int kind = kindOf(array.length);
        if (kind < 0) {
            if (kinds == lengths.length) {
                lengths = Arrays.copyOf(lengths, kinds * 2);
                free = Arrays.copyOf(free, kinds * 2);
                freeCounts = Arrays.copyOf(freeCounts, kinds * 2);
            }
            kind = kinds++;
            lengths[kind] = array.length;
            if (free[kind] == null) free[kind] = new float[4][];
        }
        if (freeCounts[kind] == free[kind].length) free[kind] = Arrays.copyOf(free[kind], freeCounts[kind] * 2);
        free[kind][freeCounts[kind]++] = array;
    }

    /** The free list for arrays of length {@code n}, or -1; a few dozen lengths per model, so a scan is enough. */
    private int kindOf(int n) {
        for (int k = 0; k < kinds; k++) if (lengths[k] == n) return k;
        return -1;
    }
}
