package dev.nabla.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On Java 22+ with oneDNN, a small product runs on one OpenMP thread and leaves the calling thread's team as it found
 * it (oneDNN's other primitives, convolutions, run on the same threads); a large one is left alone; and products on
 * either side of the bound are the Java GEMM's.
 */
class GemmThreadsTest {

    private static OneDnnGemm oneDnn() {
        assumeTrue(Kernels.gemm() instanceof OneDnnGemm, "no oneDNN here (or the pure-Java run)");
        return (OneDnnGemm) Kernels.gemm();
    }

    @Test
    void theOpenMpControlIsInUseWhereTheJvmHasIt() {
        OneDnnGemm g = oneDnn();
        if (Runtime.version().feature() >= 22) assertNotSame(GemmThreads.TEAM, g.threads());
    }

    @Test
    void aSmallProductRunsSeriallyAndGivesTheTeamBack() {
        GemmThreads threads = oneDnn().threads();
        assumeTrue(threads != GemmThreads.TEAM, "no OpenMP control on this JVM");
        int team = threads.teamNow();
        assumeTrue(team > 1, "OpenMP runs one thread here anyway");
        assertTrue(threads.serial(32, 128, 256));
        assertEquals(1, threads.teamNow());
        threads.restore();
        assertEquals(team, threads.teamNow());
        assertFalse(threads.serial(1024, 1024, 1024), "a large product keeps the team");
        assertEquals(team, threads.teamNow());
        float[] a = new float[32 * 256];
        float[] b = new float[256 * 128];
        float[] c = new float[32 * 128];
        Kernels.gemm().sgemm(false, false, 32, 128, 256, 1f, a, 0, 256, b, 0, 128, 0f, c, 0, 128);
        assertEquals(team, threads.teamNow(), "the team's size after a small product");
    }

    @Test
    void productsOnBothSidesOfTheBoundMatchTheJavaGemm() {
        Gemm g = oneDnn();
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{32, 128, 256}, {64, 300, 1024}};   // 1.0M and 19.7M multiply-adds, the bound 16.8M
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
            float[] expected = new float[m * n];
            float[] c = new float[m * n];
            new JavaGemm().sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
            g.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            for (int i = 0; i < c.length; i++) {
                assertEquals(expected[i], c[i], 1e-4f * (1 + Math.abs(expected[i])), m + "x" + n + "x" + k + " at " + i);
            }
        }
    }
}
