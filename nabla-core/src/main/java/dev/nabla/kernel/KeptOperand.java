package dev.nabla.kernel;

import java.lang.ref.WeakReference;

/**
 * One operand of one built bf16 product kept converted from call to call: a parameter's bf16 values (in the layout the
 * product reads) stay in a native buffer of their own while {@link ParameterArrays#version()} is unchanged, so a
 * prediction converts each weight once rather than on every batch, and a training step's backward product reuses the
 * forward's copy of the weight. Arrays that are not {@link ParameterArrays#register registered} (activations, reused
 * buffers) are never kept: nothing says when they change.
 */
final class KeptOperand implements AutoCloseable {

    private WeakReference<float[]> array = new WeakReference<>(null);
    private int offset;
    private long version = -1;
    private NativeFloats buffer;
    /** Calls answered from a kept copy, over all products (written under {@link OneDnn#LOCK}; for tests). */
    private static volatile long hits;

    /** Whether the buffer holds {@code values} from {@code offset} as they are at {@code current} (the version now). */
    boolean holds(float[] values, int offset, long current) {
        boolean held = version == current && this.offset == offset && array.get() == values;
        if (held) hits = hits + 1;
        return held;
    }

    /**
     * The buffer (at least {@code floats} long) to convert {@code values} into, to be kept for them once the caller says
     * {@link #converted}; null when the array is not a parameter's, and the caller converts into scratch memory.
     */
    NativeFloats claim(float[] values, int offset, long floats) {
        if (!ParameterArrays.isRegistered(values)) return null;
        if (buffer == null || buffer.floats < floats) {
            if (buffer != null) buffer.close();
            buffer = new NativeFloats(floats);
        }
        if (array.get() != values) array = new WeakReference<>(values);
        this.offset = offset;
        this.version = -1;
        return buffer;
    }

    /**
     * The claimed buffer now holds the values as they were at version {@code before}, read before the conversion began
     * (so that a write during it leaves the copy stale).
     */
    void converted(long before) {
        version = before;
    }

    /** The kept copy's buffer (valid after {@link #holds} answered true). */
    NativeFloats buffer() {
        return buffer;
    }

    /** Conversions saved so far in this process (for tests). */
    static long hits() {
        return hits;
    }

    @Override
    public void close() {
        if (buffer != null) buffer.close();
        buffer = null;
        version = -1;
    }
}
