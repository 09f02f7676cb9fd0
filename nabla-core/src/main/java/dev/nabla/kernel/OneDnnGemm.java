package dev.nabla.kernel;

import org.bytedeco.dnnl.global.dnnl;

/**
 * GEMM through oneDNN's {@code dnnl_sgemm} (JavaCPP preset, natives inside the jar), the arrays handed over in place
 * or as copies ({@link NativeSgemm}).
 */
final class OneDnnGemm implements Gemm {

    private final NativeSgemm call;
    /** One OpenMP thread for small products ({@link GemmThreads}). */
    private final GemmThreads threads = GemmThreads.choose();
    /** Where the products go while a JFR recording samples stacks ({@link SamplingWatch}). */
    private final JavaGemm whileSampled = new JavaGemm();
    /** Built on the first bf16 product (under the lock), so float32-only runs never set it up. */
    private OneDnnMatmul bf16;

    /** Loads the native library; throws if it cannot be loaded on this platform. */
    OneDnnGemm() {
        float[] one = {1f};
        float[] out = {0f};
        new CopyingSgemm().multiply(false, false, 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
        if (out[0] != 1f) throw new IllegalStateException("oneDNN sgemm self-test failed");
        call = NativeSgemm.choose();
        SamplingWatch.start();
    }

    /** Whether small products leave the OpenMP team ({@link GemmThreads}); for tests. */
    GemmThreads threads() {
        return threads;
    }

    /** How the arrays reach oneDNN: {@code "heap"} (in place) or {@code "copy"}. */
    String operands() {
        return call.name();
    }

    /**
     * No: oneDNN built on OpenMP corrupted the native heap here when two Java threads ran sgemm at once (convolution
     * split over images, caught under JFR), so Nabla's own loops keep its calls on one thread and its OpenMP team uses
     * the cores; calls from several threads of an application (two models trained side by side) take turns on
     * {@link OneDnn#LOCK}, as the convolution primitives do.
     */
    @Override
    public boolean allowsConcurrentCalls() {
        return false;
    }

    @Override
    public String name() {
        return "onednn";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda,
                      float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if (GemmChecks.checkedAndEmpty(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc)) return;
        if (SamplingWatch.sampling()) {
            whileSampled.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        // one caller at a time, whichever Java thread it runs on (see allowsConcurrentCalls)
        synchronized (OneDnn.LOCK) {
            if (alpha == 1f && Precision.bf16Now()) {
                if (bf16 == null) bf16 = new OneDnnMatmul();
                bf16.multiply(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
                return;
            }
            boolean serial = threads.serial(m, n, k);
            try {
                call.multiply(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            } finally {
                if (serial) threads.restore();
            }
        }
    }

    static void check(int status, int m, int n, int k) {
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN sgemm failed with status " + status
                    + " for " + m + "x" + k + " * " + k + "x" + n);
        }
    }
}
