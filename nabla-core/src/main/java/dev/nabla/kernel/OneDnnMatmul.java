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
 * float32 accumulation and result; oneDNN has no bf16 {@code sgemm}). A and B reach native memory rounded to bf16
 * (to nearest even), in one of two ways: rounded in Java while copied (the product is then oneDNN's one parallel
 * region), or copied as float32 and reordered by oneDNN into the blocked layouts its kernel prefers (three parallel
 * regions). C is copied in (when {@code beta} is not 0) and back. An operand that is a parameter's array (a weight)
 * is converted once and kept while the parameters are unchanged ({@link KeptOperand}, {@link ParameterArrays}): a
 * prediction rounds its weights on its first batch only, a training step once for the forward and backward products.
 * Rounding in Java is split over Nabla's threads (the first layer's inputs, ~0.8 M values a batch in {@code mlp-infer},
 * took 0.5 ms on one thread against ~1.4 ms for the product itself).
 *
 * <p>Measured here (best of 30 calls; fp32 is the in-place {@code dnnl_sgemm}; load average 8-12 on 2 cores):
 * 1000x256x784 at one thread fp32 2220 µs, oneDNN reorders 1404 µs (1.58x), Java rounding 1875 µs (1.16x); at two
 * threads fp32 2707-2868 µs, reorders 3724 µs (0.73x), Java rounding 2243 µs (1.28x): with the cores busy elsewhere
 * each parallel region waits for a descheduled OpenMP thread, so with more than one thread Java rounding is the
 * default for products without a weight ({@link #roundInJava}; {@code nabla.bf16.round} overrides). Tried and dropped: float32 memories with the attribute
 * {@code fpmath_mode=bf16}, which oneDNN 3.8 ignored on this {@code avx512_core_bf16} CPU (results equal to float32's
 * to 1e-6, no faster).
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
    /** The system property {@code nabla.bf16.round=java|onednn|auto}, read when the first bf16 product is built. */
    private final String roundingMode = System.getProperty("nabla.bf16.round", "auto").trim()
            .toLowerCase(java.util.Locale.ROOT);
    /** The rounded values on their way into native memory (one bulk copy rather than one JNI call per value). */
    private short[] staging = new short[0];

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
        /** Whether A and B are rounded in Java rather than by oneDNN reorders (see {@link #roundInJava}). */
        final boolean javaRounding;
        final OneDnnParts parts = new OneDnnParts(engine, stream, scratch);
        final OneDnnParts.Mem a;
        final OneDnnParts.Mem b;
        final OneDnnParts.Mem aBf16;
        final OneDnnParts.Mem bBf16;
        final OneDnnParts.Mem c;
        final OneDnnParts.Prim roundA;
        final OneDnnParts.Prim roundB;
        final OneDnnParts.Prim matmul;
        /** A and B converted once while they are parameters' arrays that have not been written since. */
        final KeptOperand keptA = new KeptOperand();
        final KeptOperand keptB = new KeptOperand();
        long lastUse;

        Plan(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta,
             boolean javaRounding) {
            this.javaRounding = javaRounding;
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
                long[] aStrides = transA ? new long[]{1, lda} : new long[]{lda, 1};
                long[] bStrides = transB ? new long[]{1, ldb} : new long[]{ldb, 1};
                dnnl_primitive_desc pd = new dnnl_primitive_desc();
                OneDnn.check(dnnl.dnnl_matmul_primitive_desc_create(pd, engine,
                                javaRounding ? descs.strided(aDims, aStrides, dnnl.dnnl_bf16) : descs.any(aDims, dnnl.dnnl_bf16),
                                javaRounding ? descs.strided(bDims, bStrides, dnnl.dnnl_bf16) : descs.any(bDims, dnnl.dnnl_bf16),
                                null, cMd, attr),
                        "set up a bf16 matmul " + m + "x" + k + " * " + k + "x" + n);
                parts.keep(pd);
                aBf16 = parts.memory(OneDnnParts.query(pd, dnnl.dnnl_query_src_md, 0));
                bBf16 = parts.memory(OneDnnParts.query(pd, dnnl.dnnl_query_weights_md, 0));
                c = parts.memory(cMd);
                if (javaRounding) {
                    a = b = null;
                    roundA = roundB = null;
                } else {
                    a = parts.memory(descs.strided(aDims, aStrides, dnnl.dnnl_f32));
                    b = parts.memory(descs.strided(bDims, bStrides, dnnl.dnnl_f32));
                    roundA = parts.reorder(a, aBf16);
                    roundB = parts.reorder(b, bBf16);
                }
                matmul = parts.primitive(pd, DNNL_ARG_SRC, aBf16, DNNL_ARG_WEIGHTS, bBf16, DNNL_ARG_DST, c);
            } finally {
                dnnl.dnnl_primitive_attr_destroy(attr);
                if (postOps != null) dnnl.dnnl_post_ops_destroy(postOps);
            }
        }

        void close() {
            parts.close();
            keptA.close();
            keptB.close();
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
        Plan p = plan(transA, transB, m, n, k, lda, ldb, ldc, beta, b);
        int aLen = (int) GemmChecks.spanA(transA, m, k, lda);
        int bLen = (int) GemmChecks.spanB(transB, n, k, ldb);
        NativeFloats out = p.c.onScratch().buffer;
        int cLen = (m - 1) * ldc + n;
        if (beta != 0f) out.put(c, cOffset, cLen);
        toBf16(p, p.keptA, a, aOffset, aLen, p.a, p.aBf16, p.roundA);
        toBf16(p, p.keptB, b, bOffset, bLen, p.b, p.bBf16, p.roundB);
        p.matmul.run();
        p.parts.finish();
        if (ldc == n) {
            out.get(c, cOffset, cLen);
        } else {
            for (int i = 0; i < m; i++) out.pointer().position((long) i * ldc).get(c, cOffset + i * ldc, n);
            out.pointer().position(0);
        }
    }

    /**
     * Whether a product rounds in Java (on Nabla's threads) rather than by oneDNN reorders: {@code nabla.bf16.round}
     * {@code java} or {@code onednn}; by default ({@code auto}) by reorders at one thread, and at more only when B is a
     * weight (then kept, so only A's reorder runs per call: two parallel regions; measured in {@code mlp-infer} at two
     * threads, load 10-11, 25.6-28.1 ms a pass against 30.4-32.3 ms rounding A in Java). Products of two activations
     * (a weight's gradient) round in Java with more than one thread: three regions per call, which waited for
     * descheduled OpenMP threads on the busy machine (see the class comment).
     */
    private boolean roundInJava(float[] b) {
        return switch (roundingMode) {
            case "java" -> true;
            case "onednn" -> false;
            default -> Parallel.threads() > 1 && !ParameterArrays.isRegistered(b);
        };
    }

    /**
     * Points {@code bf16} at {@code count} values of {@code values} rounded to bf16: the copy {@code kept} from an
     * earlier call when it is still current, else rounded now (in Java, or copied into {@code f32} and reordered by
     * {@code round}), into the kept buffer when the values are a parameter's, else into scratch memory.
     */
    private void toBf16(Plan p, KeptOperand kept, float[] values, int offset, int count, OneDnnParts.Mem f32,
                        OneDnnParts.Mem bf16, OneDnnParts.Prim round) {
        long version = ParameterArrays.version();
        if (kept.holds(values, offset, version)) {
            bf16.on(kept.buffer());  // a call with other operands in between may have pointed it at scratch memory
            return;
        }
        NativeFloats into = kept.claim(values, offset, bf16.floats);
        if (into == null) bf16.onScratch();
        else bf16.on(into);
        if (p.javaRounding) {
            roundInto(values, offset, count, bf16.buffer);
        } else {
            f32.onScratch().buffer.put(values, offset, count);
            round.run();
        }
        if (into != null) kept.converted(version);
    }

    /** Values per thread below which rounding stays on the calling thread. */
    private static final int ROUNDING_GRAIN = 1 << 16;

    /** {@code count} values rounded to bf16 into {@code into} (native, at least {@code count / 2} floats long). */
    private void roundInto(float[] values, int offset, int count, NativeFloats into) {
        if (staging.length < count) staging = new short[Math.max(count, staging.length * 3 / 2)];
        short[] s = staging;
        // a batch of inputs is ~0.8 M values at the first layer: split over the cores (the product waits on it)
        Parallel.forRange(count, ROUNDING_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) s[i] = bf16(values[offset + i]);
        });
        into.shorts().position(0).put(s, 0, count);
    }

    /** {@code f} rounded to the nearest bfloat16, ties to even (as PyTorch rounds); a NaN stays a NaN. */
    static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
        return (short) ((bits & 0x7fffffff) > 0x7f800000 ? (bits >>> 16) | 0x40 : rounded);
    }

    private Plan plan(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta,
                      float[] b) {
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
        if (plans[slot] != null) plans[slot].close();
        Plan p = new Plan(transA, transB, m, n, k, lda, ldb, ldc, beta, roundInJava(b));
        p.lastUse = uses;
        plans[slot] = p;
        return p;
    }
}
