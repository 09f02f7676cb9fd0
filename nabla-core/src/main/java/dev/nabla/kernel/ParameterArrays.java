package dev.nabla.kernel;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which arrays hold a network's parameters, and a count of their writes, so that kernels may keep converted copies of
 * them (the bf16 weights of {@link Precision#BF16} products) from call to call instead of converting on every call.
 *
 * <p>A kernel keeps a copy only of a {@link #register registered} array, and only while {@link #version()} is what it
 * was when the copy was made. Everything in Nabla that writes parameters in place calls {@link #modified()} after
 * writing: the optimizer step, loading weights into a model, early stopping's restore, the gradient sync of data
 * parallel training, PyTorch weight import. Code that writes a parameter's {@code data()} array itself must call
 * {@link #modified()} before the next prediction (PyTorch's version counter has the same blind spot for writes through
 * {@code .data}).
 *
 * <p>One process-wide version rather than one per array: a training step writes every parameter anyway, and the
 * check in the product is one volatile read.
 */
public final class ParameterArrays {

    /** Arrays compare by identity (arrays do not override {@code equals}), and a dropped model's arrays are forgotten. */
    private static final Map<float[], Boolean> REGISTERED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicLong VERSION = new AtomicLong();

    private ParameterArrays() {
    }

    /** Marks {@code data} as a parameter's array, one whose writes are followed by {@link #modified()}. */
    public static void register(float[] data) {
        REGISTERED.put(data, Boolean.TRUE);
    }

    /** Whether {@code data} was {@link #register registered}. */
    public static boolean isRegistered(float[] data) {
        return REGISTERED.containsKey(data);
    }

    /** Says that some parameter's values changed: every converted copy made before is stale. Call after the write. */
    public static void modified() {
        VERSION.incrementAndGet();
    }

    /**
     * The number of {@link #modified()} calls so far. A copy is valid while this is the value read <em>before</em>
     * the copy was made, so a write that overlaps the conversion leaves the copy stale.
     */
    public static long version() {
        return VERSION.get();
    }
}
