package dev.nabla.kernel;

/**
 * Chooses the kernels Nabla runs on: oneDNN's native GEMM where it loads, else the pure-Java one.
 *
 * <p>Set the system property {@code nabla.kernels=java} to force the pure-Java kernels (for platforms without the
 * natives, or to compare). The native GEMM's threads are oneDNN's OpenMP threads, configured by the environment
 * when the library loads: {@code OMP_NUM_THREADS} (default: all cores), {@code OMP_WAIT_POLICY} and
 * {@code GOMP_SPINCOUNT}. Set {@code OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=2000}, a spin of about 20 µs before an
 * idle OpenMP thread sleeps: spinning without bound takes the cores Nabla's own threads, the batch loader and the
 * garbage collector need (measured 10 to 20 times slower at batch size 32 on two cores), while sleeping at once makes
 * every GEMM wait for its threads to wake (small GEMMs up to 25% slower, CNN training about 20%), and a longer spin
 * (0.2 ms) waits for a descheduled thread when another process holds a core ({@code bench/run contention}: cnn epochs
 * 3.3 times their quiet time, against 1.7 with 20 µs). The {@code nabla}
 * launcher, the benchmark and the test build set both. (Setting them from Java with C's {@code setenv} was tried
 * and dropped: it is not safe while other threads read the environment, and crashed the JVM under JFR.)
 */
public final class Kernels {

    private static final Gemm GEMM = chooseGemm();
    private static final Gemm JAVA_GEMM = GEMM instanceof JavaGemm ? GEMM : new JavaGemm();
    private static volatile String nativeFailure;
    private static volatile String convolutionFailure;
    private static final OneDnnConvolution CONVOLUTION = chooseConvolution();
    private static final OneDnnConvReluPool CONV_RELU_POOL = chooseConvReluPool();

    private Kernels() {
    }

    private static Gemm chooseGemm() {
        String requested = System.getProperty("nabla.kernels", "native").trim().toLowerCase(java.util.Locale.ROOT);
        if (requested.equals("java")) return new JavaGemm();
        try {
            return new OneDnnGemm();
        } catch (Throwable notLoaded) {
            // UnsatisfiedLinkError and friends: no natives for this platform, so run on the portable kernels
            nativeFailure = notLoaded.toString();
            return new JavaGemm();
        }
    }

    private static OneDnnConvolution chooseConvolution() {
        if (!(GEMM instanceof OneDnnGemm)) return null;
        String requested = System.getProperty("nabla.conv", "native").trim().toLowerCase(java.util.Locale.ROOT);
        if (requested.equals("gemm")) return null;
        try {
            return new OneDnnConvolution();
        } catch (Throwable notLoaded) {
            convolutionFailure = notLoaded.toString();
            return null;
        }
    }

    private static OneDnnConvReluPool chooseConvReluPool() {
        if (CONVOLUTION == null || !Boolean.parseBoolean(System.getProperty("nabla.conv.fuse", "true").trim())) {
            return null;
        }
        try {
            return new OneDnnConvReluPool();
        } catch (Throwable notLoaded) {
            convolutionFailure = "convolution block: " + notLoaded;
            return null;
        }
    }

    /** The fused convolution, ReLU and max pooling block, or null where it is not in use. */
    static OneDnnConvReluPool convReluPool() {
        return CONV_RELU_POOL;
    }

    /**
     * oneDNN's convolution primitives, or null where the native kernels are not in use or the system property
     * {@code nabla.conv=gemm} asks for im2col and GEMM instead.
     */
    static OneDnnConvolution convolution() {
        return CONVOLUTION;
    }

    /** The GEMM every matmul, dense layer and convolution goes through. */
    public static Gemm gemm() {
        return GEMM;
    }

    /** The pure-Java GEMM, whatever {@link #gemm()} is (for tests and benchmarks that compare the two). */
    public static Gemm javaGemm() {
        return JAVA_GEMM;
    }

    /**
     * Why oneDNN's convolution primitives (or the fused convolution block) are not in use although its GEMM is, or
     * null; convolutions then run as im2col + GEMM.
     */
    public static String convolutionFailure() {
        return convolutionFailure;
    }

    /** Why the native kernels did not load, or null when they did or were not asked for. */
    public static String nativeFailure() {
        return nativeFailure;
    }
}
