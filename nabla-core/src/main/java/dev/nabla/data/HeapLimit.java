package dev.nabla.data;

/**
 * What fits in this JVM's heap. Data that cannot fit is refused with a {@link TooLargeForMemory} naming the file,
 * before the allocation that would end in an OutOfMemoryError (a gzip file of megabytes can inflate to gigabytes,
 * and a large table or image folder becomes four bytes per value); the command line takes that, or
 * {@link #fits} saying no, as its cue to stream the data instead of loading it.
 */
public final class HeapLimit {

    /** The share of the largest heap that data loaded whole may take, leaving room for the model and its work. */
    static final double DATA_SHARE = 0.8;

    private HeapLimit() {
    }

    /** The largest heap this JVM may grow to, in bytes ({@code -Xmx}). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /** Whether {@code copies} copies of {@code bytes} of data fit in {@value #DATA_SHARE} of the largest heap. */
    public static boolean fits(long bytes, int copies) {
        long max = maxHeap();
        return max == Long.MAX_VALUE || (double) bytes * copies <= DATA_SHARE * max;
    }

    /** Throws when {@code bytes} more cannot be held by the heap at its largest. */
    static void check(Object file, long bytes, String what) throws DataException {
        long max = maxHeap();
        if (max != Long.MAX_VALUE && bytes > max) {
            throw new TooLargeForMemory(file + ": " + what + " need about " + (bytes >> 20) + " MiB to load, more than this JVM's "
                    + (max >> 20) + " MiB heap (raise it with -Xmx, or NABLA_JAVA_OPTS=-Xmx... for the nabla command)", bytes);
        }
    }

    /** {@code x} with room for at least twice its values (at most a Java array's limit), checked against the heap. */
    static float[] grow(float[] x, Object file) throws DataException {
        long next = Math.min(Integer.MAX_VALUE - 8, 2L * x.length);
        // while copying, the old and the new array are both alive
        check(file, 4 * (x.length + next), "its values");
        return java.util.Arrays.copyOf(x, (int) next);
    }

    /** Data that does not fit in the heap: loading it whole was refused (it may still be streamed). */
    public static final class TooLargeForMemory extends DataException {
        private final long bytes;

        TooLargeForMemory(String message, long bytes) {
            super(message);
            this.bytes = bytes;
        }

        /** The bytes loading it would have needed. */
        public long bytes() {
            return bytes;
        }
    }
}
