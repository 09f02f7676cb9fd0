package dev.nabla.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Checks {@link JavaGemm} against a double-precision triple loop, and against the native GEMM. */
class JavaGemmTest {

    /** Shapes as {m, k, n}: degenerate, odd, and ones that cross the micro-kernel, depth and column blocks. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {2, 3, 4}, {4, 4, 16}, {5, 9, 17}, {17, 33, 65}, {33, 65, 17},
            {7, JavaGemm.KC - 1, 19}, {6, JavaGemm.KC + 3, 23}, {9, 2 * JavaGemm.KC + 5, 31},
            {5, 20, JavaGemm.NC + 3}, {3, JavaGemm.KC + 1, JavaGemm.NC + 17},
            // big enough to take the multi-threaded paths, split over rows and over columns
            {130, 150, 70}, {37, 140, 300},
    };

    private static final Gemm JAVA = new JavaGemm();
    private final int originalThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(originalThreads);
    }

    /** One GEMM call's operands, laid out with offsets and padded leading dimensions. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                           float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                           float[] c, int cOffset, int ldc) {

        static Problem random(SplittableRandom rnd, boolean transA, boolean transB, int m, int k, int n,
                              float alpha, float beta, boolean padded) {
            int lda = (transA ? m : k) + (padded ? rnd.nextInt(1, 5) : 0);
            int ldb = (transB ? k : n) + (padded ? rnd.nextInt(1, 5) : 0);
            int ldc = n + (padded ? rnd.nextInt(1, 5) : 0);
            int aOffset = padded ? rnd.nextInt(1, 9) : 0;
            int bOffset = padded ? rnd.nextInt(1, 9) : 0;
            int cOffset = padded ? rnd.nextInt(1, 9) : 0;
            float[] a = randomArray(rnd, aOffset + (int) GemmChecks.spanA(transA, m, k, lda) + (padded ? 3 : 0));
            float[] b = randomArray(rnd, bOffset + (int) GemmChecks.spanB(transB, n, k, ldb) + (padded ? 3 : 0));
            float[] c = randomArray(rnd, cOffset + (m - 1) * ldc + n + (padded ? 3 : 0));
            if (beta == 0f) Arrays.fill(c, Float.NaN); // beta == 0 must overwrite C, NaNs included
            return new Problem(transA, transB, m, n, k, alpha, beta, a, aOffset, lda, b, bOffset, ldb,
                    c, cOffset, ldc);
        }

        float aAt(int i, int p) {
            return a[aOffset + (transA ? p * lda + i : i * lda + p)];
        }

        float bAt(int p, int j) {
            return b[bOffset + (transB ? j * ldb + p : p * ldb + j)];
        }

        float[] run(Gemm gemm) {
            float[] out = c.clone();
            gemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, out, cOffset, ldc);
            return out;
        }

        /**
         * Checks {@code got} against the product in double precision. Each element may be off by a few float
         * roundings per term summed, relative to the sum of the terms' magnitudes; elements of C outside the
         * product must be untouched.
         */
        void verify(float[] got, String what) {
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOffset;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c[idx])) {
                    fail(what + ": element " + idx + " outside C was changed from " + c[idx] + " to " + got[idx]);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double term = (double) aAt(i, p) * bAt(p, j);
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                    float old = c[cOffset + i * ldc + j];
                    double expected = alpha * sum + (beta == 0f ? 0.0 : (double) beta * old);
                    double scale = Math.abs(alpha) * magnitude + (beta == 0f ? 0.0 : Math.abs((double) beta * old));
                    double tolerance = 4 * Math.ulp(1f) * (k + 2) * scale + Float.MIN_NORMAL;
                    float actual = got[cOffset + i * ldc + j];
                    if (!(Math.abs(actual - expected) <= tolerance)) {
                        fail(String.format("%s: C[%d][%d] = %s, expected %s (tolerance %.3g)",
                                what, i, j, actual, expected, tolerance));
                    }
                }
            }
        }

        @Override
        public String toString() {
            return String.format("%s%s m=%d k=%d n=%d alpha=%s beta=%s lda=%d ldb=%d ldc=%d offsets=%d/%d/%d",
                    transA ? "T" : "N", transB ? "T" : "N", m, k, n, alpha, beta, lda, ldb, ldc,
                    aOffset, bOffset, cOffset);
        }
    }

    private static float[] randomArray(SplittableRandom rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1.5f, 0f}, {2f, 0.25f}};

    @Test
    void matchesReferenceForAllShapesTransposesAndScalars() {
        SplittableRandom rnd = new SplittableRandom(42);
        int cases = 0;
        for (int[] shape : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                for (float[] ab : ALPHA_BETA) {
                    // alternate packed and padded layouts so both are covered for every shape and transpose
                    Problem problem = Problem.random(rnd, transA, transB, shape[0], shape[1], shape[2], ab[0], ab[1],
                            (cases++ & 1) == 1);
                    problem.verify(problem.run(JAVA), problem.toString());
                }
            }
        }
    }

    @Test
    void matchesReferenceForRandomShapes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 30; trial++) {
            int m = rnd.nextInt(1, 40);
            int k = rnd.nextInt(1, 2 * JavaGemm.KC + 10);
            int n = rnd.nextInt(1, JavaGemm.NC + 40);
            float[] ab = ALPHA_BETA[rnd.nextInt(ALPHA_BETA.length)];
            Problem problem = Problem.random(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, k, n, ab[0], ab[1],
                    rnd.nextBoolean());
            problem.verify(problem.run(JAVA), problem.toString());
        }
    }

    @Test
    void zeroDepthScalesC() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (float beta : new float[] {0f, 1f, -0.5f}) {
            Problem problem = Problem.random(rnd, false, true, 5, 0, 7, 1f, beta, true);
            problem.verify(problem.run(JAVA), problem.toString());
        }
    }

    @Test
    void zeroAlphaScalesCWithoutReadingTheProduct() {
        SplittableRandom rnd = new SplittableRandom(4);
        Problem problem = Problem.random(rnd, false, false, 6, 5, 9, 0f, 0.5f, false);
        Arrays.fill(problem.a(), Float.NaN);
        float[] got = problem.run(JAVA);
        for (int i = 0; i < got.length; i++) assertEquals(0.5f * problem.c()[i], got[i], 0f);
    }

    @Test
    void emptyResultLeavesCAlone() {
        float[] c = {1f, 2f, 3f};
        JAVA.sgemm(false, false, 0, 3, 4, 1f, new float[0], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
        JAVA.sgemm(false, false, 1, 0, 4, 1f, new float[4], 0, 4, new float[0], 0, 0, 0f, c, 0, 0);
        assertArrayEquals(new float[] {1f, 2f, 3f}, c);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int[] shape : new int[][] {{130, 150, 70}, {37, 140, 300}, {200, 64, 200}}) {
            for (int t = 0; t < 4; t++) {
                Problem problem = Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, shape[0], shape[1], shape[2],
                        1f, 0.5f, true);
                Parallel.setThreads(1);
                float[] single = problem.run(JAVA);
                for (int threads : new int[] {2, 3, 8}) {
                    Parallel.setThreads(threads);
                    assertArrayEquals(single, problem.run(JAVA), problem + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void rejectsOperandsTooShortOrBadLeadingDimensions() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> JAVA.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> JAVA.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> JAVA.sgemm(true, false, 2, 2, 4, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
    }

    @Test
    void verifierCatchesAWrongResult() {
        // guards against a verifier that accepts anything: a one-ulp-per-term error in one element must be caught
        SplittableRandom rnd = new SplittableRandom(6);
        Problem problem = Problem.random(rnd, true, false, 9, 40, 11, 1f, 1f, true);
        float[] got = problem.run(JAVA);
        int victim = problem.cOffset() + 4 * problem.ldc() + 7;
        got[victim] += 0.01f;
        AssertionError error = assertThrows(AssertionError.class, () -> problem.verify(got, "perturbed"));
        assertTrue(error.getMessage().contains("C[4][7]"), error.getMessage());
        float[] outside = problem.run(JAVA);
        outside[outside.length - 1] += 1f;
        assertThrows(AssertionError.class, () -> problem.verify(outside, "outside"));
    }

    @Test
    void agreesWithTheNativeGemm() {
        Gemm kernel = Kernels.gemm();
        assumeFalse(kernel instanceof JavaGemm, "native GEMM not loaded: " + Kernels.nativeFailure());
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] shapes = {{1, 1, 1}, {17, 33, 65}, {64, 300, 40}, {6, JavaGemm.KC + 3, JavaGemm.NC + 5}};
        for (int[] shape : shapes) {
            for (int t = 0; t < 4; t++) {
                for (float[] ab : ALPHA_BETA) {
                    Problem problem = Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, shape[0], shape[1], shape[2],
                            ab[0], ab[1], t >= 2);
                    float[] expected = problem.run(kernel);
                    float[] actual = problem.run(JAVA);
                    // both must be within the reference's tolerance, so they agree within twice of it
                    problem.verify(expected, kernel.name() + " " + problem);
                    problem.verify(actual, "java " + problem);
                }
            }
        }
    }

    /**
     * Application threads may call the native GEMM at once (two models trained side by side): every result is right.
     * (The calls take turns on a lock because oneDNN corrupted its heap when entered from two threads at once under
     * JFR; this test did not reproduce that corruption without the lock, so it guards the results, not the lock.)
     */
    @Test
    void nativeGemmTakesCallsFromSeveralThreads() throws Exception {
        Gemm kernel = Kernels.gemm();
        assumeFalse(kernel instanceof JavaGemm, "native GEMM not loaded: " + Kernels.nativeFailure());
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom rnd = new SplittableRandom(100 + t);
                done.add(pool.submit(() -> {
                    for (int call = 0; call < 40; call++) {
                        Problem problem = Problem.random(rnd, call % 2 == 1, call % 3 == 1, rnd.nextInt(1, 48),
                                rnd.nextInt(1, 300), rnd.nextInt(1, 64), 1f, call % 4 == 0 ? 0f : 0.5f, call % 5 == 0);
                        problem.verify(problem.run(kernel), "thread call " + call + " " + problem);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
