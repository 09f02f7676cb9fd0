package dev.nabla.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Sets the calling thread's OpenMP team size ({@code omp_set_num_threads}), for the oneDNN GEMMs it runs next.
 *
 * <p>Where Nabla already splits work over its own threads, each of them calling oneDNN, every call would otherwise
 * start an OpenMP team of {@code OMP_NUM_THREADS} threads: two Java threads times two OpenMP threads on two cores,
 * which measured the convolution passes up to twice as slow as one OpenMP thread per Java thread. The team size is a
 * per-thread setting, so a task sets it to 1 and restores it when done, leaving every other GEMM caller alone.
 *
 * <p>The OpenMP functions are found in the libraries this class loader has loaded (oneDNN's {@code libgomp}) through
 * the foreign-function API, reached through reflection as in {@link NativeEnvironment}. Before JDK 22, with the pure
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
        if (!(Kernels.gemm() instanceof OneDnnGemm) || Runtime.version().feature() < 22) return new MethodHandle[2];
        try {
            return new MethodHandle[] {downcall("omp_set_num_threads", false), downcall("omp_get_max_threads", true)};
        } catch (Throwable unavailable) {
            // no foreign-function access, or no OpenMP in the loaded libraries: leave team sizes alone
            return new MethodHandle[2];
        }
    }

    /** A handle on {@code void name(int)} or {@code int name()} from the libraries this class loader has loaded. */
    private static MethodHandle downcall(String name, boolean returnsInt) throws ReflectiveOperationException {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");

        // loaderLookup is caller-sensitive: called reflectively from here, it sees this class's loader, the one that
        // loaded oneDNN and its libgomp through JavaCPP
        Object lookup = lookupClass.getMethod("loaderLookup").invoke(null);
        Optional<?> symbol = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, name);
        if (symbol.isEmpty()) throw new ClassNotFoundException("no symbol " + name);
        Object intLayout = valueLayoutClass.getField("JAVA_INT").get(null);
        Object descriptor = returnsInt
                ? descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType())
                        .invoke(null, intLayout, Array.newInstance(layoutClass, 0))
                : descriptorClass.getMethod("ofVoid", layoutClass.arrayType())
                        .invoke(null, singleLayout(layoutClass, intLayout));
        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        return (MethodHandle) linkerClass
                .getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType())
                .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionClass, 0));
    }

    private static Object singleLayout(Class<?> layoutClass, Object layout) {
        Object array = Array.newInstance(layoutClass, 1);
        Array.set(array, 0, layout);
        return array;
    }
}
