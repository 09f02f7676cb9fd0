package dev.nabla.kernel;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k} and {@code op(B)} is {@code k x n}.
 *
 * <p>{@code lda}, {@code ldb} and {@code ldc} are the row strides of the matrices as stored: A is stored
 * {@code m x k} ({@code k x m} when {@code transA}), B is stored {@code k x n} ({@code n x k} when {@code transB}).
 */
public interface Gemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOffset, int lda,
               float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);

    /** A short name for logs and benchmarks, e.g. {@code "onednn"} or {@code "java"}. */
    String name();

    /**
     * Whether several threads may call {@link #sgemm} at the same time. When not, callers that split work across
     * threads (convolution over images) call it from one thread and let the kernel use the cores itself.
     */
    boolean allowsConcurrentCalls();
}
