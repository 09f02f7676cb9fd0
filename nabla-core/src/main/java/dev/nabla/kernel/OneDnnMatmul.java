package dev.nabla.kernel;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;

/**
 * The bf16 GEMM of {@link Precision#BF16}: oneDNN's matmul primitive with bf16 A and B and a float32 C (bf16 products,
 * float32 accumulation and result; oneDNN has no bf16 {@code sgemm}). A and B are copied as float32 into native
 * buffers, as {@link CopyingSgemm} does, and reordered by oneDNN into bf16 in the layouts its kernel prefers (rounded
 * to nearest even, on its threads); C is copied back.
 *
 * <p>Tried and dropped, measured here (one thread, 256x256x784, best of 30): float32 memories with the attribute
 * {@code fpmath_mode=bf16}, which oneDNN 3.8 ignored on this {@code avx512_core_bf16} CPU (results equal to float32's
 * to 1e-6, no faster); rounding to bf16 in Java while copying, 521 µs against float32's 502 µs (the scalar rounding
 * loop cost as much as the product).
 *
 * <p>Primitives are built once per shape and kept (a network's handful of shapes); the look-up compares fields, so a
 * call allocates nothing once its shape is built. Calls hold {@link OneDnn#LOCK} (taken by {@link OneDnnGemm}).
 */
final class OneDnnMatmul {

    /** Shapes kept built: a network's forward and backward products at its training, last-batch and eval sizes. */
    private static final int MAX_PLANS = 64;

    private final dnnl_engine engine = OneDnn.cpuEngine();
    private final dnnl_stream stream = OneDnn.stream(engine);
    private final OneDnnParts.Scratch scratch = new OneDnnParts.Scratch();
    private final Plan[] plans = new Plan[MAX_PLANS];
    private long uses;

    /** One built product: its shape, the reorders to bf16 and the matmul with their memories. */
    private final class Plan {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final float beta;
        final OneDnnParts parts = new OneDnnParts(engine, stream, scratch);
        final OneDnnParts.Mem a;
        final OneDnnParts.Mem b;
        final OneDnnParts.Mem aBf16;
        final OneDnnParts.Mem bBf16;
        final OneDnnParts.Mem c;
        final OneDnnParts.Prim roundA;
        final OneDnnParts.Prim roundB;
        final OneDnnParts.Prim matmul;
        long lastUse;

        Plan(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.lda = lda;
            this.ldb = ldb;
            this.ldc = ldc;
            this.beta = beta;
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            dnnl_post_ops postOps = null;
            try (OneDnn.Descs descs = new OneDnn.Descs()) {
                OneDnn.check(dnnl.dnnl_primitive_attr_create(attr), "create primitive attributes");
                OneDnn.userScratchpad(attr);
                if (beta != 0f) {
                    postOps = new dnnl_post_ops();
                    OneDnn.check(dnnl.dnnl_post_ops_create(postOps), "create post-ops");
                    OneDnn.check(dnnl.dnnl_post_ops_append_sum(postOps, beta, 0, dnnl.dnnl_data_type_undef),
                            "add C to the product");
                    OneDnn.check(dnnl.dnnl_primitive_attr_set_post_ops(attr, postOps), "attach the sum");
                }
                long[] aDims = {m, k};
                long[] bDims = {k, n};
                dnnl_memory_desc cMd = descs.strided(new long[]{m, n}, new long[]{ldc, 1}, dnnl.dnnl_f32);
                dnnl_primitive_desc pd = new dnnl_primitive_desc();
                OneDnn.check(dnnl.dnnl_matmul_primitive_desc_create(pd, engine, descs.any(aDims, dnnl.dnnl_bf16),
                                descs.any(bDims, dnnl.dnnl_bf16), null, cMd, attr),
                        "set up a bf16 matmul " + m + "x" + k + " * " + k + "x" + n);
                parts.keep(pd);
                a = parts.memory(descs.strided(aDims, transA ? new long[]{1, lda} : new long[]{lda, 1}, dnnl.dnnl_f32));
                b = parts.memory(descs.strided(bDims, transB ? new long[]{1, ldb} : new long[]{ldb, 1}, dnnl.dnnl_f32));
                aBf16 = parts.memory(OneDnnParts.query(pd, dnnl.dnnl_query_src_md, 0));
                bBf16 = parts.memory(OneDnnParts.query(pd, dnnl.dnnl_query_weights_md, 0));
                c = parts.memory(cMd);
                roundA = parts.reorder(a, aBf16);
                roundB = parts.reorder(b, bBf16);
                matmul = parts.primitive(pd, DNNL_ARG_SRC, aBf16, DNNL_ARG_WEIGHTS, bBf16, DNNL_ARG_DST, c);
            } finally {
                dnnl.dnnl_primitive_attr_destroy(attr);
                if (postOps != null) dnnl.dnnl_post_ops_destroy(postOps);
            }
        }

        boolean is(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta) {
            return this.m == m && this.n == n && this.k == k && this.transA == transA && this.transB == transB
                    && this.lda == lda && this.ldb == ldb && this.ldc == ldc && this.beta == beta;
        }
    }

    /** Builds one small product and checks it (throws where oneDNN cannot). */
    OneDnnMatmul() {
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = {10, 10, 10, 10};
        multiply(false, true, 2, 2, 2, a, 0, 2, b, 0, 2, 1f, c, 0, 2);
        if (c[0] != 11f || c[1] != 12f || c[2] != 13f || c[3] != 14f) {
            throw new IllegalStateException("oneDNN bf16 matmul self-test failed: " + java.util.Arrays.toString(c));
        }
    }

    /** {@code C = op(A) * op(B) + beta * C} ({@code alpha} 1), arguments already checked; the caller holds the lock. */
    void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                  float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        Plan p = plan(transA, transB, m, n, k, lda, ldb, ldc, beta);
        p.a.onScratch().buffer.put(a, aOffset, (int) GemmChecks.spanA(transA, m, k, lda));
        p.b.onScratch().buffer.put(b, bOffset, (int) GemmChecks.spanB(transB, n, k, ldb));
        p.aBf16.onScratch();
        p.bBf16.onScratch();
        NativeFloats out = p.c.onScratch().buffer;
        int cLen = (m - 1) * ldc + n;
        if (beta != 0f) out.put(c, cOffset, cLen);
        p.roundA.run();
        p.roundB.run();
        p.matmul.run();
        p.parts.finish();
        if (ldc == n) {
            out.get(c, cOffset, cLen);
        } else {
            for (int i = 0; i < m; i++) out.pointer().position((long) i * ldc).get(c, cOffset + i * ldc, n);
            out.pointer().position(0);
        }
    }

    private Plan plan(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta) {
        uses++;
        int free = -1;
        int eldest = -1;
        for (int i = 0; i < plans.length; i++) {
            Plan p = plans[i];
            if (p == null) {
                if (free < 0) free = i;
            } else if (p.is(transA, transB, m, n, k, lda, ldb, ldc, beta)) {
                p.lastUse = uses;
                return p;
            } else if (eldest < 0 || p.lastUse < plans[eldest].lastUse) {
                eldest = i;
            }
        }
        int slot = free >= 0 ? free : eldest;
        if (plans[slot] != null) plans[slot].parts.close();
        Plan p = new Plan(transA, transB, m, n, k, lda, ldb, ldc, beta);
        p.lastUse = uses;
        plans[slot] = p;
        return p;
    }
}
