package dev.nabla.kernel;

/** Argument checks and helpers shared by the GEMM implementations. */
final class GemmChecks {

    private GemmChecks() {
    }

    /** Number of floats from the first to the last element of A as stored. */
    static long spanA(boolean transA, int m, int k, int lda) {
        return transA ? (long) (k - 1) * lda + m : (long) (m - 1) * lda + k;
    }

    /** Number of floats from the first to the last element of B as stored. */
    static long spanB(boolean transB, int n, int k, int ldb) {
        return transB ? (long) (n - 1) * ldb + k : (long) (k - 1) * ldb + n;
    }

    static void check(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float[] c, int cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size " + m + "x" + n + "x" + k);
        if (lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("gemm: leading dimension too small (lda=" + lda + ", ldb=" + ldb
                    + ", ldc=" + ldc + ") for m=" + m + " n=" + n + " k=" + k);
        }
        if (aOffset < 0 || bOffset < 0 || cOffset < 0) {
            throw new IllegalArgumentException("gemm: negative offset (" + aOffset + ", " + bOffset + ", " + cOffset + ")");
        }
        // the in-place native GEMM reads and writes exactly these spans of the arrays: nothing checks after this
        if (aOffset + spanA(transA, m, k, lda) > a.length || bOffset + spanB(transB, n, k, ldb) > b.length
                || cOffset + (long) (m - 1) * ldc + n > c.length) {
            throw new IllegalArgumentException("gemm: operand shorter than m=" + m + " n=" + n + " k=" + k + " needs");
        }
    }

    /**
     * The checks and early exits every GEMM starts with: returns true, with C finished, where there is nothing to
     * multiply: m or n zero (nothing to do, nothing checked), or k zero (C = beta * C, after the checks).
     */
    static boolean checkedAndEmpty(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                   float beta, float[] c, int cOffset, int ldc) {
        if (m == 0 || n == 0) return true;
        check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (k != 0) return false;
        scaleC(m, n, beta, c, cOffset, ldc);
        return true;
    }

    /** C = beta * C, the whole product when k is zero. */
    static void scaleC(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }
}
