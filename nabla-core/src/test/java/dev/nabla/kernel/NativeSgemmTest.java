package dev.nabla.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both ways of handing arrays to oneDNN, in place ({@code HeapSgemm}, Java 22+) and copied ({@link CopyingSgemm}),
 * give the pure-Java GEMM's products, with transposes, offsets, padded rows and beta, and touch nothing outside C's
 * rows; and the JVM running the tests (22 or later) uses the in-place one.
 */
class NativeSgemmTest {

    @Test
    void theInPlaceCallIsInUseWhereTheJvmHasIt() {
        if (Runtime.version().feature() >= 22 && Kernels.gemm() instanceof OneDnnGemm g) {
            assertEquals("heap", g.operands(), "fell back: " + NativeSgemm.heapFailure());
        }
    }

    @Test
    void inPlaceAndCopiedProductsMatchTheJavaGemm() {
        if (!(Kernels.gemm() instanceof OneDnnGemm)) return; // no natives on this platform, or the Java run
        NativeSgemm[] calls = {NativeSgemm.choose(), new CopyingSgemm()};
        SplittableRandom rng = new SplittableRandom(5);
        for (int round = 0; round < 60; round++) {
            boolean ta = rng.nextBoolean();
            boolean tb = rng.nextBoolean();
            int m = 1 + rng.nextInt(40);
            int n = 1 + rng.nextInt(40);
            int k = 1 + rng.nextInt(70);
            int lda = (ta ? m : k) + rng.nextInt(3);
            int ldb = (tb ? k : n) + rng.nextInt(3);
            int ldc = n + rng.nextInt(3);
            int ao = rng.nextInt(5);
            int bo = rng.nextInt(5);
            int co = rng.nextInt(5);
            float alpha = rng.nextBoolean() ? 1f : 0.5f;
            float beta = rng.nextInt(3) == 0 ? 0f : 1.5f;
            float[] a = random(rng, ao + (int) GemmChecks.spanA(ta, m, k, lda) + rng.nextInt(3));
            float[] b = random(rng, bo + (int) GemmChecks.spanB(tb, n, k, ldb) + rng.nextInt(3));
            float[] c0 = random(rng, co + (m - 1) * ldc + n + 4);
            float[] expected = c0.clone();
            new JavaGemm().sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, expected, co, ldc);
            for (NativeSgemm call : calls) {
                float[] c = c0.clone();
                call.multiply(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
                for (int i = 0; i < c.length; i++) {
                    int row = (i - co) / Math.max(1, ldc);
                    boolean inC = i >= co && row < m && (i - co) % ldc < n;
                    if (inC) {
                        assertEquals(expected[i], c[i], 1e-4f * (1 + Math.abs(expected[i])), call.name() + " round " + round + " at " + i);
                    } else {
                        assertEquals(c0[i], c[i], 0f, call.name() + " wrote outside C at " + i + " (round " + round + ")");
                    }
                }
            }
        }
    }

    @Test
    void operandsTooShortOrOffsetsNegativeAreRefusedBeforeTheNativeCall() {
        Gemm g = Kernels.gemm();
        float[] four = new float[4];
        assertThrows(IllegalArgumentException.class, () -> g.sgemm(false, false, 2, 2, 2, 1f, four, 1, 2, four, 0, 2, 0f, four, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> g.sgemm(false, false, 2, 2, 2, 1f, four, -1, 2, four, 0, 2, 0f, four, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> g.sgemm(false, false, 2, 2, 2, 1f, four, 0, 2, four, 0, 2, 0f, new float[3], 0, 2));
    }

    private static float[] random(SplittableRandom rng, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) rng.nextDouble(-1, 1);
        return x;
    }
}
