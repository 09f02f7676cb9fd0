package dev.nabla.kernel;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@code dnnl_sgemm} on copies: each operand is copied once into a per-thread native buffer that grows as needed and
 * is reused, then the result back (the JNI array overloads would copy twice per call; this measured about twice as
 * fast at the training shapes). What Java 21 runs; see {@link NativeSgemm}.
 */
final class CopyingSgemm implements NativeSgemm {

    private static final class Scratch {
        FloatPointer a = new FloatPointer(0L);
        FloatPointer b = new FloatPointer(0L);
        FloatPointer c = new FloatPointer(0L);
        long aCap;
        long bCap;
        long cCap;
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
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
        OneDnnGemm.check(status, m, n, k);
        if (ldc == n) {
            s.c.position(0).get(c, cOffset, (int) cLen);
        } else {
            for (int i = 0; i < m; i++) s.c.position((long) i * ldc).get(c, cOffset + i * ldc, n);
            s.c.position(0);
        }
    }
}
