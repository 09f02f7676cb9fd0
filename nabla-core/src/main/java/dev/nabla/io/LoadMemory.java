package dev.nabla.io;

import java.nio.file.Path;

/**
 * Refuses, before anything is allocated, a model whose listed weights could not fit in this JVM's heap: the file's
 * manifest can list any size up to 2 GiB, and the network its architecture describes is built before the weights
 * are read. A clear error beats an OutOfMemoryError part way through, which could also take down other work.
 */
final class LoadMemory {

    // the weights are held up to three times while loading (the entry's bytes as they are inflated and copied,
    // decoded tensors, the network); a file of zeros costs this much whatever it compresses to
    private static final int COPIES = 3;

    private LoadMemory() {
    }

    static void check(Path file, String entry, long listedBytes) throws ModelFormatException {
        long needed = COPIES * listedBytes;
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && needed > max) {
            throw new ModelFormatException(file + ": entry '" + entry + "' is listed as " + mib(listedBytes)
                    + " MiB of weights; loading them needs about " + mib(needed) + " MiB, more than this JVM's "
                    + mib(max) + " MiB heap (raise it with -Xmx, or NABLA_JAVA_OPTS=-Xmx... for the nabla command)");
        }
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
