package dev.nabla.kernel;

import java.util.Arrays;

/**
 * Pure-Java SGEMM, the portable fallback: op(B) is packed into per-thread row buffers, C is computed four rows at a
 * time in a per-thread tile, and large products are split across {@link Parallel}'s threads.
 *
 * <p>No Vector API: the inner loops are plain loops that C2 auto-vectorises. That works only under conditions found by
 * measurement on JDK 25 (breaking any one of them gives scalar code, about 8x slower):
 * <ul>
 *   <li>every array in the loop is indexed by the loop variable alone, counting from 0: an invariant offset such as
 *       {@code b[offset + j]} next to a store to another {@code float[]} stops vectorisation, because C2 cannot rule
 *       out that the two arrays are the same one. Hence op(B) is packed into one array per row and C is worked on in
 *       a tile of one array per row, copied in and out with {@link System#arraycopy};</li>
 *   <li>no more than eight arrays in the loop, which is why the micro-kernel is 4 rows of C by 4 steps of k;</li>
 *   <li>{@link Math#fma}, because Java may not contract {@code a * b + c} into a fused multiply-add by itself.</li>
 * </ul>
 */
final class JavaGemm implements Gemm {

    /** Rows of C per micro-kernel call. */
    static final int MR = 4;
    /** Depth of one block of k: the packed B rows a tile pass reads (256 rows of NC floats, 512 KiB, fit L2). */
    static final int KC = 256;
    /** Width of a column block; long rows amortise the vector loop's start-up (128 wide ran at half speed). */
    static final int NC = 512;
    /** Products smaller than this many multiply-adds run on the calling thread: a hand-off would cost more. */
    static final long PARALLEL_WORK = 1L << 20;
    /** Split the rows of C across threads when each thread gets at least this many row groups, else the columns. */
    static final int MIN_ROW_GROUPS_PER_THREAD = 4;

    /** Per-thread buffers, kept between calls so that a warm GEMM allocates nothing. */
    private static final class Scratch {
        /** Packed rows of op(B) for one column block, {@code NC} wide; grows to the deepest k seen. */
        float[][] bRows = new float[0][];
        /** The micro-kernel's C tile: one array per row, see {@link #kernel}. */
        final float[][] acc = new float[MR][NC];

        float[][] bRows(int k) {
            if (bRows.length < k) {
                float[][] grown = Arrays.copyOf(bRows, Math.max(k, bRows.length + bRows.length / 2));
                for (int p = bRows.length; p < grown.length; p++) grown[p] = new float[NC];
                bRows = grown;
            }
            return bRows;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public boolean allowsConcurrentCalls() {
        return true;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda,
                      float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if (GemmChecks.checkedAndEmpty(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc)) return;
        if (alpha == 0f) {
            GemmChecks.scaleC(m, n, beta, c, cOffset, ldc);
            return;
        }
        int rowGroups = (m + MR - 1) / MR;
        if ((long) m * n * k < PARALLEL_WORK || Parallel.threads() == 1) {
            columns(transA, transB, m, 0, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } else if (rowGroups >= MIN_ROW_GROUPS_PER_THREAD * Parallel.threads()) {
            // Split the rows of C. All threads need all of op(B), so it is packed once, in parallel, into the
            // caller's buffer, rather than by each thread again.
            float[][] bRows = SCRATCH.get().bRows(k);
            for (int jc = 0; jc < n; jc += NC) {
                int j0 = jc;
                int nb = Math.min(NC, n - jc);
                Parallel.forRange(k, 16, (p0, p1) -> packB(transB, b, bOffset, ldb, p0, p1 - p0, j0, nb, bRows));
                Parallel.forRange(rowGroups, 1, (g0, g1) -> multiply(transA, g0 * MR, Math.min(m, g1 * MR), j0, nb, k,
                        alpha, a, aOffset, lda, bRows, beta, c, cOffset, ldc));
            }
        } else {
            // Few rows: split the columns, in whole SIMD vectors; each thread packs just its own columns of op(B).
            Parallel.forRange((n + 15) / 16, 1, (v0, v1) -> columns(transA, transB, m, v0 * 16, Math.min(n, v1 * 16),
                    k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc));
        }
    }

    /** All rows of C, columns {@code [j0, j1)}, on the calling thread. */
    private static void columns(boolean transA, boolean transB, int m, int j0, int j1, int k, float alpha,
                                float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                float beta, float[] c, int cOffset, int ldc) {
        float[][] bRows = SCRATCH.get().bRows(k);
        for (int jc = j0; jc < j1; jc += NC) {
            int nb = Math.min(NC, j1 - jc);
            packB(transB, b, bOffset, ldb, 0, k, jc, nb, bRows);
            multiply(transA, 0, m, jc, nb, k, alpha, a, aOffset, lda, bRows, beta, c, cOffset, ldc);
        }
    }

    /** Rows {@code [pc, pc + kb)} of op(B), columns {@code [jc, jc + nb)}, into {@code bRows[pc..]}. */
    private static void packB(boolean transB, float[] b, int bOffset, int ldb, int pc, int kb, int jc, int nb,
                              float[][] bRows) {
        if (!transB) {
            for (int p = pc; p < pc + kb; p++) System.arraycopy(b, bOffset + p * ldb + jc, bRows[p], 0, nb);
        } else {
            for (int p = pc; p < pc + kb; p++) {
                float[] row = bRows[p];
                int src = bOffset + jc * ldb + p;
                for (int j = 0; j < nb; j++) row[j] = b[src + j * ldb];
            }
        }
    }

    /** C rows {@code [i0, i1)}, columns {@code [jc, jc + nb)}, from those columns of op(B) packed in {@code bRows}. */
    private static void multiply(boolean transA, int i0, int i1, int jc, int nb, int k, float alpha,
                                 float[] a, int aOffset, int lda, float[][] bRows,
                                 float beta, float[] c, int cOffset, int ldc) {
        float[][] acc = SCRATCH.get().acc;
        int rowStride = transA ? 1 : lda;
        int depthStride = transA ? lda : 1;
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            boolean first = pc == 0;
            for (int i = i0; i < i1; i += MR) {
                int rows = Math.min(MR, i1 - i);
                // load the C tile, scaled by beta on the first depth block (beta == 0 ignores NaNs in C)
                for (int r = 0; r < MR; r++) {
                    float[] row = acc[r];
                    if (r >= rows || (first && beta == 0f)) {
                        Arrays.fill(row, 0, nb, 0f);
                    } else {
                        System.arraycopy(c, cOffset + (i + r) * ldc + jc, row, 0, nb);
                        if (first && beta != 1f) for (int j = 0; j < nb; j++) row[j] *= beta;
                    }
                }
                int base = aOffset + i * rowStride + pc * depthStride;
                // rows past the end of A repeat its last row: computed, never written back
                int last = rows - 1;
                kernel(a, base, base + Math.min(1, last) * rowStride, base + Math.min(2, last) * rowStride,
                        base + Math.min(3, last) * rowStride, depthStride, alpha,
                        bRows, pc, kb, nb, acc[0], acc[1], acc[2], acc[3]);
                for (int r = 0; r < rows; r++) System.arraycopy(acc[r], 0, c, cOffset + (i + r) * ldc + jc, nb);
            }
        }
    }

    /**
     * {@code c0..c3[j] += alpha * sum over p of A(row r, p) * bRows[pc + p][j]} for {@code j < nb}: four rows of C
     * over {@code kb} steps of k, where A's row r starts at {@code a[rR]} and steps by {@code ps} along k. Four steps
     * of k per pass over the tile make each load and store of C serve four multiply-adds.
     */
    private static void kernel(float[] a, int r0, int r1, int r2, int r3, int ps, float alpha,
                               float[][] bRows, int pc, int kb, int nb,
                               float[] c0, float[] c1, float[] c2, float[] c3) {
        int p = 0;
        for (; p + 4 <= kb; p += 4) {
            int o0 = p * ps, o1 = o0 + ps, o2 = o1 + ps, o3 = o2 + ps;
            float a00 = alpha * a[r0 + o0], a10 = alpha * a[r1 + o0], a20 = alpha * a[r2 + o0], a30 = alpha * a[r3 + o0];
            float a01 = alpha * a[r0 + o1], a11 = alpha * a[r1 + o1], a21 = alpha * a[r2 + o1], a31 = alpha * a[r3 + o1];
            float a02 = alpha * a[r0 + o2], a12 = alpha * a[r1 + o2], a22 = alpha * a[r2 + o2], a32 = alpha * a[r3 + o2];
            float a03 = alpha * a[r0 + o3], a13 = alpha * a[r1 + o3], a23 = alpha * a[r2 + o3], a33 = alpha * a[r3 + o3];
            float[] b0 = bRows[pc + p], b1 = bRows[pc + p + 1], b2 = bRows[pc + p + 2], b3 = bRows[pc + p + 3];
            for (int j = 0; j < nb; j++) {
                float x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
                c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
                c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
                c2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j]))));
                c3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j]))));
            }
        }
        for (; p < kb; p++) {
            int o = p * ps;
            float a0 = alpha * a[r0 + o], a1 = alpha * a[r1 + o], a2 = alpha * a[r2 + o], a3 = alpha * a[r3 + o];
            float[] b0 = bRows[pc + p];
            for (int j = 0; j < nb; j++) {
                float x = b0[j];
                c0[j] = Math.fma(a0, x, c0[j]);
                c1[j] = Math.fma(a1, x, c1[j]);
                c2[j] = Math.fma(a2, x, c2[j]);
                c3[j] = Math.fma(a3, x, c3[j]);
            }
        }
    }
}
