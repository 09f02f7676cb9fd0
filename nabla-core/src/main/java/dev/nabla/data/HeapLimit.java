package dev.nabla.data;

/**
 * Refuses data that cannot fit in this JVM's heap with an error naming the file, before the allocation that would
 * end in an OutOfMemoryError: a gzip file of megabytes can inflate to gigabytes, and a large table or image file
 * becomes four bytes per value.
 */
final class HeapLimit {

    private HeapLimit() {
    }

    /** Throws when {@code bytes} more cannot be held by the heap at its largest. */
    static void check(Object file, long bytes, String what) throws DataException {
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && bytes > max) {
            throw new DataException(file + ": " + what + " need about " + (bytes >> 20) + " MiB to load, more than this JVM's "
                    + (max >> 20) + " MiB heap (raise it with -Xmx, or NABLA_JAVA_OPTS=-Xmx... for the nabla command)");
        }
    }

    /** {@code x} with room for at least twice its values (at most a Java array's limit), checked against the heap. */
    static float[] grow(float[] x, Object file) throws DataException {
        long next = Math.min(Integer.MAX_VALUE - 8, 2L * x.length);
        // while copying, the old and the new array are both alive
        check(file, 4 * (x.length + next), "its values");
        return java.util.Arrays.copyOf(x, (int) next);
    }
}
