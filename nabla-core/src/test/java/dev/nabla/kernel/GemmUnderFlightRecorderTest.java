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
 * GEMMs while Java Flight Recorder samples every millisecond, in a JVM of its own with the serial collector and
 * garbage made between the calls, as in training. On JDK 25 oneDNN's sgemm under the execution sampler corrupted the
 * native heap (see {@link SamplingWatch}): this child died with glibc's "corrupted size vs. prev_size" or a SIGSEGV in
 * about half of its runs while the products still went to oneDNN (2 of 4 runs of 5 s measured, and the JNI and FFM
 * paths alike). Now they run in Java while the recording samples, and on oneDNN again once it stops.
 */
class GemmUnderFlightRecorderTest {

    @Test
    void gemmsSurviveARecordingStartedMidway() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), GemmUnderFlightRecorderTest.class.getName()))
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("products match"), out);
        if (Kernels.gemm() instanceof OneDnnGemm) {
            assertTrue(out.contains("sampled on java, after on onednn"), out);
            assertTrue(out.contains("matrix products run on the pure-Java kernels"), out);
        }
    }

    /** The child: GEMMs of the mlp's shapes for a while without a recording, then for 5 s under one, then after. */
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
        long garbage = 0;
        String sampledOn;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            sampledOn = SamplingWatch.sampling() ? "java" : "onednn";
            long end = System.nanoTime() + 5_000_000_000L;
            for (int round = 0; System.nanoTime() < end; round++) {
                // a Java loop and garbage between the calls, as in training, so samples and collections land in both
                float[] scratch = new float[1000 + round % 5000];
                garbage += scratch.length;
                for (int i = 0; i < c.length; i++) c[i] = 0f;
                gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            }
            recording.stop();
        }
        String afterOn = SamplingWatch.sampling() ? "java" : "onednn";
        for (int i = 0; i < c.length; i++) {
            if (Math.abs(c[i] - expected[i]) > 1e-3f * (1 + Math.abs(expected[i]))) {
                System.out.println("product differs at " + i + ": " + c[i] + " vs " + expected[i]);
                System.exit(1);
            }
        }
        System.out.println("sampled on " + sampledOn + ", after on " + afterOn + " (" + garbage + " floats of garbage)");
        System.out.println("products match");
    }
}
