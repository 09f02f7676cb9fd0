package dev.nabla.kernel;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GEMMs while Java Flight Recorder samples every millisecond, in a JVM of their own (a recording changes the GEMM
 * path for the rest of the JVM's life). On JDK 25 this crashed the JVM within seconds while the in-place path made
 * its critical calls under the sampler; now the recording switches the calls to the copying path.
 */
class GemmUnderFlightRecorderTest {

    @Test
    void gemmsSurviveARecordingStartedMidway() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                GemmUnderFlightRecorderTest.class.getName()))
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("products match"), out);
    }

    /** The child: GEMMs of the mlp's shapes for a while without a recording, then as long again under one. */
    public static void main(String[] args) throws Exception {
        Gemm gemm = Kernels.gemm();
        int m = 128, k = 784, n = 256;
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
        float[] expected = new float[m * n];
        new JavaGemm().sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        float[] c = new float[m * n];
        for (int i = 0; i < 200; i++) gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                // a Java loop between the calls, as in training, so samples land in both
                for (int i = 0; i < c.length; i++) c[i] = 0f;
                gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            }
            recording.stop();
        }
        for (int i = 0; i < c.length; i++) {
            if (Math.abs(c[i] - expected[i]) > 1e-3f * (1 + Math.abs(expected[i]))) {
                System.out.println("product differs at " + i + ": " + c[i] + " vs " + expected[i]);
                System.exit(1);
            }
        }
        System.out.println("products match");
    }
}
