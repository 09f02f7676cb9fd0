package dev.nabla.kernel;

import org.bytedeco.javacpp.FloatPointer;

/** Native floats aligned to 64 bytes (a cache line, and what oneDNN's vector loads prefer), freed by {@link #close}. */
final class NativeFloats implements AutoCloseable {
    private static final int ALIGN_BYTES = 64;
    final long floats;
    private final FloatPointer allocation;
    private final FloatPointer aligned;
    private org.bytedeco.javacpp.ShortPointer shorts;

    NativeFloats(long floats) {
        this.floats = floats;
        allocation = new FloatPointer(Math.max(1, floats) + ALIGN_BYTES / Float.BYTES);
        long start = (allocation.address() + ALIGN_BYTES - 1) & -ALIGN_BYTES;
        // a view that starts at the aligned address: JavaCPP passes a position to a void* argument in bytes, not
        // floats, so an offset by position would not reach oneDNN as meant
        aligned = new AlignedView(start, floats);
    }

    /** Floats enough for {@code bytes} bytes. */
    static long forBytes(long bytes) {
        return (bytes + Float.BYTES - 1) / Float.BYTES;
    }

    FloatPointer pointer() {
        return aligned;
    }

    /** The same memory as 16-bit values (bf16), made on first use and kept. */
    org.bytedeco.javacpp.ShortPointer shorts() {
        if (shorts == null) shorts = new org.bytedeco.javacpp.ShortPointer(aligned).capacity(2 * floats).limit(2 * floats);
        return shorts;
    }

    void put(float[] values, int offset, int count) {
        aligned.position(0).put(values, offset, count);
    }

    void get(float[] values, int offset, int count) {
        aligned.position(0).get(values, offset, count);
    }

    @Override
    public void close() {
        allocation.close();
    }

    /** Floats at an address inside another allocation, which owns (and frees) the memory. */
    private static final class AlignedView extends FloatPointer {
        AlignedView(long address, long floats) {
            this.address = address;
            this.capacity = floats;
            this.limit = floats;
        }
    }
}
