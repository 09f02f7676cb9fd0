package dev.nabla.kernel;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * GEMM through oneDNN's {@code dnnl_sgemm} (JavaCPP preset, natives inside the jar).
 *
 * <p>Tensors live in Java arrays, which the JNI array overloads would copy twice per call; instead each operand is
 * copied once into a per-thread native buffer that grows as needed and is reused, which measured about twice as fast
 * at the training shapes.
 */
final class OneDnnGemm implements Gemm {

    private static final class Scratch {
        FloatPointer a = new FloatPointer(0L);
        FloatPointer b = new FloatPointer(0L);
        FloatPointer c = new FloatPointer(0L);
        long aCap;
        long bCap;
        long cCap;
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Loads the native library; throws if it cannot be loaded on this platform. */
    OneDnnGemm() {
        float[] one = {1f};
        float[] out = {0f};
        sgemm(false, false, 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
        if (out[0] != 1f) throw new IllegalStateException("oneDNN sgemm self-test failed");
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
        // one caller at a time, whichever Java thread it runs on (see allowsConcurrentCalls)
        synchronized (OneDnn.LOCK) {
            multiply(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        }
    }

    private void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                          float beta, float[] c, int cOffset, int ldc) {
        Scratch s = scratch.get();
        long aLen = GemmChecks.spanA(transA, m, k, lda);
        long bLen = GemmChecks.spanB(transB, n, k, ldb);
        long cLen = (long) (m - 1) * ldc + n;
        if (aLen > s.aCap) { s.a.close(); s.a = new FloatPointer(aLen); s.aCap = aLen; }
        if (bLen > s.bCap) { s.b.close(); s.b = new FloatPointer(bLen); s.bCap = bLen; }
        if (cLen > s.cCap) { s.c.close(); s.c = new FloatPointer(cLen); s.cCap = cLen; }
        s.a.position(0).put(a, aOffset, (int) aLen);
        s.b.position(0).put(b, bOffset, (int) bLen);
        if (beta != 0f) s.c.position(0).put(c, cOffset, (int) cLen);
        int status = dnnl.dnnl_sgemm((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'), m, n, k, alpha,
                s.a, lda, s.b, ldb, beta, s.c, ldc);
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN sgemm failed with status " + status
                    + " for " + m + "x" + k + " * " + k + "x" + n);
        }
        if (ldc == n) {
            s.c.position(0).get(c, cOffset, (int) cLen);
        } else {
            for (int i = 0; i < m; i++) s.c.position((long) i * ldc).get(c, cOffset + i * ldc, n);
            s.c.position(0);
        }
    }
}
