package dev.nabla.kernel;

/**
 * Chooses the kernels Nabla runs on: oneDNN's native GEMM where it loads, else the pure-Java one.
 *
 * <p>Set the system property {@code nabla.kernels=java} to force the pure-Java kernels (for platforms without the
 * natives, or to compare). The native GEMM's threads are oneDNN's OpenMP threads, whose count is fixed when the
 * library loads: from the {@code OMP_NUM_THREADS} environment variable when set, else (on JDK 22 and later) from
 * Nabla's thread count at that moment ({@code -Dnabla.threads}); see {@link NativeEnvironment}.
 */
public final class Kernels {

    private static final Gemm GEMM = chooseGemm();
    private static final Gemm JAVA_GEMM = GEMM instanceof JavaGemm ? GEMM : new JavaGemm();
    private static volatile String nativeFailure;

    private Kernels() {
    }

    private static Gemm chooseGemm() {
        String requested = System.getProperty("nabla.kernels", "native").trim().toLowerCase(java.util.Locale.ROOT);
        if (requested.equals("java")) return new JavaGemm();
        // before the OpenMP runtime loads with oneDNN: size its team like Nabla's pool, and let idle threads sleep
        NativeEnvironment.setIfAbsent("OMP_NUM_THREADS", Integer.toString(Parallel.threads()));
        NativeEnvironment.setIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        try {
            return new OneDnnGemm();
        } catch (Throwable notLoaded) {
            // UnsatisfiedLinkError and friends: no natives for this platform, so run on the portable kernels
            nativeFailure = notLoaded.toString();
            return new JavaGemm();
        }
    }

    /** The GEMM every matmul, dense layer and convolution goes through. */
    public static Gemm gemm() {
        return GEMM;
    }

    /** The pure-Java GEMM, whatever {@link #gemm()} is (for tests and benchmarks that compare the two). */
    public static Gemm javaGemm() {
        return JAVA_GEMM;
    }

    /** Why the native kernels did not load, or null when they did or were not asked for. */
    public static String nativeFailure() {
        return nativeFailure;
    }
}
