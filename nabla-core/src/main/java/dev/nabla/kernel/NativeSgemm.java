package dev.nabla.kernel;

/**
 * How {@link OneDnnGemm} hands Java arrays to oneDNN's {@code dnnl_sgemm}: checked arguments, one caller at a time.
 *
 * <p>On Java 22 and later the arrays are read and written in place ({@code HeapSgemm}: a foreign-function downcall
 * that may access the Java heap, compiled separately for Java 22 and loaded only there); on Java 21 each operand is
 * copied into native memory and back ({@link CopyingSgemm}). Measured here (one thread, best of 12 rounds, the
 * {@code mlp} shapes): 1x256x784 24 -> 7 µs, 32x256x784 89 -> 65 µs, 784x256x128 505 -> 260 µs, 128x256x784 297 ->
 * 290 µs. The system property {@code nabla.gemm.heap=false} keeps the copying one (to compare).
 */
interface NativeSgemm {

    /** {@code C = alpha * op(A) * op(B) + beta * C} as {@link Gemm#sgemm}, arguments already checked. */
    void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                  float beta, float[] c, int cOffset, int ldc);

    /** A short name for logs: {@code "heap"} or {@code "copy"}. */
    String name();

    /** The in-place one where the JVM offers it and it loads, else the copying one. */
    static NativeSgemm choose() {
        boolean heap = Boolean.parseBoolean(System.getProperty("nabla.gemm.heap", "true").trim());
        if (heap && Runtime.version().feature() >= 22) {
            try {
                // by name: the class is compiled for Java 22 and must not be loaded on 21
                return (NativeSgemm) Class.forName("dev.nabla.kernel.HeapSgemm").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException unavailable) {
                // native access refused, or the symbol not found: the copying path works everywhere
                Holder.failure = unavailable.toString();
            }
        }
        return new CopyingSgemm();
    }

    /** Why the in-place path is not in use on a JVM that has it, or null. */
    static String heapFailure() {
        return Holder.failure;
    }

    /** Written once, by {@link #choose}. */
    final class Holder {
        static volatile String failure;

        private Holder() {
        }
    }
}
