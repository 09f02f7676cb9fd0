package dev.nabla.kernel;

import java.lang.invoke.MethodHandle;

/**
 * Sets the calling thread's OpenMP team size ({@code omp_set_num_threads}), for the oneDNN GEMMs it runs next.
 *
 * <p>Where Nabla already splits work over its own threads, each of them calling oneDNN, every call would otherwise
 * start an OpenMP team of {@code OMP_NUM_THREADS} threads: two Java threads times two OpenMP threads on two cores,
 * which measured the convolution passes up to twice as slow as one OpenMP thread per Java thread. The team size is a
 * per-thread setting, so a task sets it to 1 and restores it when done, leaving every other GEMM caller alone.
 *
 * <p>The OpenMP functions are found in the libraries this class loader has loaded (oneDNN's {@code libgomp}) through
 * the foreign-function API, reached through reflection by {@link ForeignCalls}. Before JDK 22, with the pure
 * Java GEMM, or wherever the lookup fails, {@link #single()} does nothing.
 */
final class OpenMpTeam {

    private static final MethodHandle SET_NUM_THREADS;
    private static final MethodHandle GET_MAX_THREADS;

    static {
        MethodHandle[] handles = findHandles();
        SET_NUM_THREADS = handles[0];
        GET_MAX_THREADS = handles[1];
    }

    private OpenMpTeam() {
    }

    /** Whether team sizes can be set here. */
    static boolean available() {
        return SET_NUM_THREADS != null;
    }

    /** This thread's team size for its next parallel region, or 0 where not {@link #available()}. */
    static int maxThreads() {
        if (GET_MAX_THREADS == null) return 0;
        try {
            return (int) GET_MAX_THREADS.invokeExact();
        } catch (Throwable e) {
            return 0;
        }
    }

    /** Makes this thread's next oneDNN calls single-threaded; returns the token for {@link #restore(int)}. */
    static int single() {
        int previous = maxThreads();
        if (previous > 1) set(1);
        return previous;
    }

    /** Undoes {@link #single()} with its token. */
    static void restore(int previous) {
        if (previous > 1) set(previous);
    }

    private static void set(int threads) {
        try {
            SET_NUM_THREADS.invokeExact(threads);
        } catch (Throwable e) {
            // omp_set_num_threads cannot fail; a broken handle only costs speed
        }
    }

    /** {omp_set_num_threads, omp_get_max_threads}, or two nulls. */
    private static MethodHandle[] findHandles() {
        if (!(Kernels.gemm() instanceof OneDnnGemm)) return new MethodHandle[2];
        // void omp_set_num_threads(int), int omp_get_max_threads(void)
        MethodHandle set = ForeignCalls.inLoadedLibraries("omp_set_num_threads", null, "JAVA_INT");
        MethodHandle get = ForeignCalls.inLoadedLibraries("omp_get_max_threads", "JAVA_INT");
        // no foreign-function access, or no OpenMP in the loaded libraries: leave team sizes alone
        if (set == null || get == null) return new MethodHandle[2];
        return new MethodHandle[] {set, get};
    }
}
