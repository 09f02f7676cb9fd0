package dev.nabla.kernel;

import java.lang.invoke.MethodHandle;

/**
 * Sets environment variables of this process (C {@code setenv}) before a native library reads them.
 *
 * <p>oneDNN's OpenMP runtime takes its thread count ({@code OMP_NUM_THREADS}) and its idle behaviour
 * ({@code OMP_WAIT_POLICY}) from the environment once, when it loads. By default its idle threads spin, which on a
 * small machine steals the cores Nabla's own threads (and the batch loader, and the garbage collector) need: at
 * batch size 32 a spinning OpenMP team measured 10 to 20 times slower here. Java cannot change its environment, but
 * from JDK 22 its foreign-function API can call {@code setenv}; it is reached through reflection because Nabla
 * compiles for Java 21, where that API is still a preview (see {@link ForeignCalls}). On older JDKs, or where the
 * call fails, nothing changes and the variables can still be set by hand (the {@code nabla} launcher does).
 */
final class NativeEnvironment {

    private NativeEnvironment() {
    }

    /** Sets {@code name=value} unless the variable is already set; returns whether the value is now in place. */
    static boolean setIfAbsent(String name, String value) {
        if (System.getenv(name) != null) return false;
        // int setenv(const char *name, const char *value, int overwrite)
        MethodHandle setenv = ForeignCalls.inDefaultLibraries("setenv", "JAVA_INT", "ADDRESS", "ADDRESS", "JAVA_INT");
        if (setenv == null) return false;
        try {
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            try (AutoCloseable arena = (AutoCloseable) arenaClass.getMethod("ofConfined").invoke(null)) {
                Object cName = arenaClass.getMethod("allocateFrom", String.class).invoke(arena, name);
                Object cValue = arenaClass.getMethod("allocateFrom", String.class).invoke(arena, value);
                int result = (int) setenv.invokeWithArguments(cName, cValue, 0);
                return result == 0;
            }
        } catch (Throwable unavailable) {
            // no foreign-function access (older JDK, a restricted runtime): leave the environment as it is
            return false;
        }
    }
}
