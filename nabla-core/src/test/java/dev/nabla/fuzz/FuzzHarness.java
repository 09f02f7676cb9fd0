package dev.nabla.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a reader on seeded mutations of valid files and collects every outcome that is not "loaded" or "one clear
 * error": an exception other than an {@link IOException} (an unchecked exception, an OutOfMemoryError), an
 * IOException whose message does not name the file, an error that only wraps a programming error (a null pointer or
 * an index out of bounds inside our own code, when {@code ownCode}), or a read that takes longer than
 * {@link #TIMEOUT_SECONDS}. Each failure names its seed; the input is kept under {@code target/fuzz-failures}.
 */
final class FuzzHarness {

    static final long TIMEOUT_SECONDS = 10;

    /** How many inputs per valid file; {@code -Dnabla.fuzz.iterations=N} runs more (or fewer). */
    static int iterations(int byDefault) {
        return Integer.getInteger("nabla.fuzz.iterations", byDefault);
    }

    @FunctionalInterface
    interface Reader {
        void read(Path file) throws Exception;
    }

    @FunctionalInterface
    interface Mutation {
        byte[] apply(byte[] valid, long seed) throws IOException;
    }

    private FuzzHarness() {
    }

    /**
     * Writes each of {@code count} mutations of each valid input to {@code dir/name} and reads it.
     *
     * @param ownCode whether the reader is all Nabla's code: then an error caused by a null pointer, an index out of
     *                bounds and the like is a bug even when wrapped in a clear message (the JDK's image decoders
     *                throw such exceptions on damaged files, and wrapping those is right)
     * @return one line per failure
     */
    static List<String> run(String target, Path dir, String name, List<byte[]> valid, int count, long baseSeed,
                            Mutation mutation, Reader reader, boolean ownCode) throws Exception {
        List<String> failures = new ArrayList<>();
        Path file = dir.resolve(name);
        ExecutorService pool = Executors.newSingleThreadExecutor(daemon());
        try {
            for (int v = 0; v < valid.size(); v++) {
                for (int i = 0; i < count; i++) {
                    long seed = baseSeed + 1_000_003L * v + i;
                    byte[] input = mutation.apply(valid.get(v), seed);
                    Files.write(file, input);
                    String problem = outcome(pool, file, reader, ownCode);
                    if (problem == null) continue;
                    if (problem.startsWith("hang")) {
                        pool.shutdownNow();
                        pool = Executors.newSingleThreadExecutor(daemon());
                    }
                    Path kept = Path.of("target", "fuzz-failures", target + "-" + v + "-" + seed + "-" + name);
                    Files.createDirectories(kept.getParent());
                    Files.write(kept, input);
                    failures.add(target + " valid#" + v + " seed " + seed + " (" + kept + "): " + problem);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    private static String outcome(ExecutorService pool, Path file, Reader reader, boolean ownCode) throws InterruptedException {
        Future<?> f = pool.submit(() -> {
            reader.read(file);
            return null;
        });
        Throwable t;
        try {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "hang: no answer in " + TIMEOUT_SECONDS + " s";
        } catch (java.util.concurrent.ExecutionException e) {
            t = e.getCause();
        }
        if (!(t instanceof IOException)) return "not an IOException: " + describe(t);
        String m = t.getMessage();
        if (m == null || !m.contains(file.getFileName().toString())) return "message does not name the file: " + describe(t);
        if (m.contains("internal error")) return "internal error: " + describe(t);
        if (ownCode) {
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                if (isBug(c)) return "a clear message over a programming error: " + describe(t) + " caused by " + describe(c);
            }
        }
        return null;
    }

    // not ArithmeticException: Math.toIntExact is how settings readers find a number out of range, and they say so
    private static boolean isBug(Throwable c) {
        return c instanceof NullPointerException || c instanceof IndexOutOfBoundsException
                || c instanceof NegativeArraySizeException || c instanceof ClassCastException
                || c instanceof ArrayStoreException
                || c instanceof UnsupportedOperationException || c instanceof Error;
    }

    private static String describe(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return t + (st.length > 0 ? " at " + st[0] : "");
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        };
    }
}
