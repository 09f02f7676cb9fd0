package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Scaled dot-product attention over several heads as one op: for each sample and head,
 * {@code softmax(Q K^T / sqrt(d) + mask) V}, with optional dropout on the attention weights. The heads are interleaved
 * in the feature axis as the projections produce them ({@code [N, T, heads * d]}, head {@code h} in columns
 * {@code h*d .. h*d+d}); the output has the same layout.
 *
 * <p>Masked positions (padded keys, later keys under {@code causal}) get weight exactly 0. A query that can see no key
 * at all gets an all-zero weight row, hence output 0 and no gradient, where PyTorch gives NaN.
 *
 * <p>Why one op, and its layout: the products per head are tiny (16 x 16 x 16 for a small vision transformer), too
 * small for a GEMM call or a vector loop each. So all (sample, head) pairs are computed together: inputs are
 * rearranged to one row per (position, feature) holding that value for every pair, and every inner loop runs along a
 * row, indexed by the loop variable alone, which the JIT vectorises.
 */
public final class Attention extends Function {

    /** Pairs handled together in the innermost loops: long loops vectorise best (512 pairs ran 1.6x faster than 128). */
    private static final int CHUNK = 1024;

    private final int batch;
    private final int queries;
    private final int keys;
    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private final float scale;
    private final boolean causal;
    /** The number of (sample, head) pairs: the length of every row below. */
    private final int pairs;
    /** Rows per (position, feature): scaled queries {@code [Tq*d]}, keys {@code [Tk*d]}, values {@code [Tk*dv]}. */
    private float[][] q;
    private float[][] k;
    private float[][] v;
    /** Softmax weights, a row per (query, key), before dropout. */
    private float[][] weights;
    /** Dropout's per-weight factors (0 or 1/(1-rate)), same rows as {@link #weights}, or null. */
    private float[][] keep;

    private Attention(int batch, int queries, int keys, int heads, int keyDim, int valueDim, boolean causal) {
        this.batch = batch;
        this.queries = queries;
        this.keys = keys;
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.scale = (float) (1.0 / Math.sqrt(keyDim));
        this.causal = causal;
        this.pairs = batch * heads;
    }

    /**
     * @param query   {@code [N, Tq, heads * d]}
     * @param key     {@code [N, Tk, heads * d]}
     * @param value   {@code [N, Tk, heads * dv]}
     * @param keyMask {@code [N, Tk]} with 1 for a real key and 0 for padding, or null for none
     * @param causal  whether query {@code i} sees only keys {@code j <= i}
     * @param dropout the fraction of attention weights zeroed (0 for none)
     * @param rng     draws the dropout mask (unused when {@code dropout} is 0)
     * @return {@code [N, Tq, heads * dv]}
     */
    public static Tensor apply(Tensor query, Tensor key, Tensor value, int heads, Tensor keyMask, boolean causal,
                               float dropout, RandomGenerator rng) {
        int[] sq = query.shape();
        int[] sk = key.shape();
        int[] sv = value.shape();
        if (sq.length != 3 || sk.length != 3 || sv.length != 3 || sk[0] != sq[0] || sv[0] != sq[0] || sv[1] != sk[1]
                || sk[2] != sq[2] || heads < 1 || sq[2] % heads != 0 || sv[2] % heads != 0) {
            throw new ShapeException("attention: needs query [N, Tq, heads*d], key [N, Tk, heads*d] and value "
                    + "[N, Tk, heads*dv] with " + heads + " heads, got " + Shape.str(sq) + ", " + Shape.str(sk) + ", "
                    + Shape.str(sv));
        }
        if (keyMask != null && !Arrays.equals(keyMask.shape(), new int[]{sk[0], sk[1]})) {
            throw new ShapeException("attention: the key mask must be [N, Tk] = " + Shape.str(new int[]{sk[0], sk[1]})
                    + ", got " + Shape.str(keyMask.shape()));
        }
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("attention: dropout must be in [0, 1), got " + dropout);
        Attention fn = new Attention(sq[0], sq[1], sk[1], heads, sq[2] / heads, sv[2] / heads, causal);
        int pairs = fn.pairs;
        int tq = fn.queries;
        int tk = fn.keys;
        float[] qIn = Dense.zeroOffset(query);
        float[] kIn = Dense.zeroOffset(key);
        float[] vIn = Dense.zeroOffset(value);
        float[][] mask = null;
        if (keyMask != null) {
            float[] m = Dense.zeroOffset(keyMask);
            mask = StepArena.rows(tk, pairs);
            for (int j = 0; j < tk; j++) for (int p = 0; p < pairs; p++) mask[j][p] = m[(p / heads) * tk + j] != 0f ? 1f : 0f;
        }
        fn.q = StepArena.rows(tq * fn.keyDim, pairs);
        fn.k = StepArena.rows(tk * fn.keyDim, pairs);
        fn.v = StepArena.rows(tk * fn.valueDim, pairs);
        fn.weights = StepArena.rows(tq * tk, pairs);
        if (dropout > 0f) {
            float[][] keep = StepArena.rows(tq * tk, pairs);
            float factor = 1f / (1f - dropout);
            for (float[] row : keep) for (int p = 0; p < pairs; p++) row[p] = rng.nextFloat() >= dropout ? factor : 0f;
            fn.keep = keep;
        }
        float[][] o = StepArena.rows(tq * fn.valueDim, pairs);
        float[] out = StepArena.floats(fn.batch * tq * heads * fn.valueDim);
        float[][] stats = StepArena.rows(2, pairs);
        double[] scratch = new double[pairs];
        float[][] m = mask;
        Parallel.forRange(pairs, grain(fn), (s, e) -> {
            fn.toPairs(qIn, fn.q, tq, fn.keyDim, fn.scale, s, e);
            fn.toPairs(kIn, fn.k, tk, fn.keyDim, 1f, s, e);
            fn.toPairs(vIn, fn.v, tk, fn.valueDim, 1f, s, e);
            for (int c0 = s; c0 < e; c0 += CHUNK) fn.forwardChunk(c0, Math.min(e, c0 + CHUNK), m, o, stats, scratch);
            fn.fromPairs(o, out, tq, fn.valueDim, 1f, s, e);
        });
        Tensor result = Tensor.wrap(out, sq[0], sq[1], heads * fn.valueDim);
        if (!needsGrad(query, key, value)) return result;
        return fn.record(result, query, key, value);
    }

    /** Pairs per thread at least: enough work to pay for the hand-off. */
    private static int grain(Attention fn) {
        return Math.max(CHUNK / 4, (1 << 17) / Math.max(1, fn.queries * fn.keys * (fn.keyDim + fn.valueDim)));
    }

    /** {@code [N, T, heads*w]} to rows {@code [T*w][pairs]} (times {@code factor}), for pairs {@code [p0, p1)}. */
    private void toPairs(float[] src, float[][] dst, int steps, int width, float factor, int p0, int p1) {
        int row = heads * width;
        int[] base = bases(steps, row, width, p0, p1);
        // pair by pair, feature by feature: each pass touches one cache line of the source and, for pairs that
        // follow, the same lines of the destination rows
        for (int t = 0; t < steps; t++) {
            int r0 = t * width;
            for (int p = p0; p < p1; p++) {
                int from = base[p - p0] + t * row;
                for (int c = 0; c < width; c++) dst[r0 + c][p] = src[from + c] * factor;
            }
        }
    }

    /** Rows {@code [T*w][pairs]} back to {@code [N, T, heads*w]}, times {@code factor}, for pairs {@code [p0, p1)}. */
    private void fromPairs(float[][] src, float[] dst, int steps, int width, float factor, int p0, int p1) {
        int row = heads * width;
        int[] base = bases(steps, row, width, p0, p1);
        for (int t = 0; t < steps; t++) {
            int r0 = t * width;
            for (int p = p0; p < p1; p++) {
                int to = base[p - p0] + t * row;
                for (int c = 0; c < width; c++) dst[to + c] = src[r0 + c][p] * factor;
            }
        }
    }

    /** Where each pair's (sample, head) block starts in a {@code [N, T, heads*width]} array. */
    private int[] bases(int steps, int row, int width, int p0, int p1) {
        int[] base = new int[p1 - p0];
        for (int p = p0; p < p1; p++) base[p - p0] = (p / heads) * steps * row + (p % heads) * width;
        return base;
    }

    /**
     * Pairs {@code [p0, p1)}: scores and softmax into {@link #weights} (rows of keys a causal query cannot see stay 0);
     * the weighted values into {@code o}.
     */
    private void forwardChunk(int p0, int p1, float[][] mask, float[][] o, float[][] stats, double[] scratch) {
        for (int i = 0; i < queries; i++) {
            int visible = causal ? Math.min(keys, i + 1) : keys;
            for (int j = 0; j < visible; j++) {
                float[] w = weights[i * keys + j];
                Arrays.fill(w, p0, p1, 0f);
                for (int c = 0; c < keyDim; c++) {
                    float[] qc = q[i * keyDim + c];
                    float[] kc = k[j * keyDim + c];
                    for (int p = p0; p < p1; p++) w[p] += qc[p] * kc[p];
                }
            }
            softmax(i, visible, p0, p1, mask, stats[0], stats[1], scratch);
            for (int c = 0; c < valueDim; c++) {
                float[] oc = o[i * valueDim + c];
                Arrays.fill(oc, p0, p1, 0f);
                for (int j = 0; j < visible; j++) {
                    float[] w = weights[i * keys + j];
                    float[] vc = v[j * valueDim + c];
                    if (keep == null) {
                        for (int p = p0; p < p1; p++) oc[p] += w[p] * vc[p];
                    } else {
                        float[] kp = keep[i * keys + j];
                        for (int p = p0; p < p1; p++) oc[p] += w[p] * kp[p] * vc[p];
                    }
                }
            }
        }
    }

    /**
     * Softmax over the first {@code visible} keys of query {@code i} for pairs {@code [p0, p1)}, padded keys
     * ({@code mask} 0) weighted exactly 0; a query with no real key gets all zeros. The exponential is
     * {@code (e^(a/128))^128} with a Taylor polynomial, in double, in loops the JIT vectorises ({@link Math#exp} it does
     * not), for arguments clamped to [-80, 0]: e^-80 is 1.8e-35, nothing next to the maximum's 1.
     */
    private void softmax(int i, int visible, int p0, int p1, float[][] mask, float[] max, float[] sum, double[] a) {
        Arrays.fill(max, p0, p1, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, p0, p1, 0f);
        for (int j = 0; j < visible; j++) {
            float[] w = weights[i * keys + j];
            if (mask == null) {
                for (int p = p0; p < p1; p++) max[p] = Math.max(max[p], w[p]);
            } else {
                // a padded key's score sits 1e30 lower, so the maximum is a real key's whenever there is one
                float[] mj = mask[j];
                for (int p = p0; p < p1; p++) max[p] = Math.max(max[p], w[p] + (mj[p] - 1f) * 1e30f);
            }
        }
        for (int j = 0; j < visible; j++) {
            float[] w = weights[i * keys + j];
            // a padded key may score above the real maximum: clamped to 0 (then multiplied by its mask 0), no overflow
            for (int p = p0; p < p1; p++) a[p] = Math.min(0f, Math.max(w[p] - max[p], -80f)) * (1.0 / 128);
            for (int p = p0; p < p1; p++) {
                double c = a[p];
                a[p] = 1 + c * (1 + c * (1.0 / 2 + c * (1.0 / 6 + c * (1.0 / 24 + c * (1.0 / 120 + c * (1.0 / 720
                        + c * (1.0 / 5040 + c * (1.0 / 40320 + c * (1.0 / 362880 + c * (1.0 / 3628800))))))))));
            }
            for (int p = p0; p < p1; p++) {
                double e = a[p];
                e *= e;
                e *= e;
                e *= e;
                e *= e;
                e *= e;
                e *= e;
                a[p] = e * e;
            }
            for (int p = p0; p < p1; p++) w[p] = (float) a[p];
            if (mask != null) {
                float[] mj = mask[j];
                for (int p = p0; p < p1; p++) w[p] *= mj[p];
            }
            for (int p = p0; p < p1; p++) sum[p] += w[p];
        }
        for (int p = p0; p < p1; p++) sum[p] = sum[p] > 0f ? 1f / sum[p] : 0f;
        for (int j = 0; j < visible; j++) {
            float[] w = weights[i * keys + j];
            for (int p = p0; p < p1; p++) w[p] *= sum[p];
        }
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gIn = Dense.zeroOffset(gradOutput);
        float[] dq = StepArena.floats(batch * queries * heads * keyDim);
        float[] dk = StepArena.floats(batch * keys * heads * keyDim);
        float[] dv = StepArena.floats(batch * keys * heads * valueDim);
        float[][] g = StepArena.rows(queries * valueDim, pairs);
        float[][] dqR = StepArena.rows(queries * keyDim, pairs);
        float[][] dkR = StepArena.rows(keys * keyDim, pairs);
        float[][] dvR = StepArena.rows(keys * valueDim, pairs);
        float[][] dp = StepArena.rows(keys, pairs);
        float[] dot = StepArena.floats(pairs);
        Parallel.forRange(pairs, grain(this), (s, e) -> {
            toPairs(gIn, g, queries, valueDim, 1f, s, e);
            for (int c0 = s; c0 < e; c0 += CHUNK) backwardChunk(c0, Math.min(e, c0 + CHUNK), g, dqR, dkR, dvR, dp, dot);
            fromPairs(dqR, dq, queries, keyDim, scale, s, e);
            fromPairs(dkR, dk, keys, keyDim, 1f, s, e);
            fromPairs(dvR, dv, keys, valueDim, 1f, s, e);
        });
        int qRow = heads * keyDim;
        return new Tensor[]{
                needsInputGrad(0) ? Tensor.wrap(dq, batch, queries, qRow) : null,
                needsInputGrad(1) ? Tensor.wrap(dk, batch, keys, qRow) : null,
                needsInputGrad(2) ? Tensor.wrap(dv, batch, keys, heads * valueDim) : null};
    }

    /**
     * Gradients for pairs {@code [p0, p1)}, added to the zero-filled rows {@code dq}, {@code dk}, {@code dv} ({@code dq} with respect to the scaled queries): {@code dP = dO V^T},
     * {@code dV = P^T dO}, {@code dS = P * (dP - sum(dP * P))}, {@code dQ = dS K}, {@code dK = dS^T Q}.
     */
    private void backwardChunk(int p0, int p1, float[][] g, float[][] dq, float[][] dk, float[][] dv, float[][] dp,
                               float[] dot) {
        for (int i = 0; i < queries; i++) {
            int visible = causal ? Math.min(keys, i + 1) : keys;
            Arrays.fill(dot, p0, p1, 0f);
            for (int j = 0; j < visible; j++) {
                float[] w = weights[i * keys + j];
                float[] kp = keep == null ? null : keep[i * keys + j];
                float[] d = dp[j];
                Arrays.fill(d, p0, p1, 0f);
                for (int c = 0; c < valueDim; c++) {
                    float[] gc = g[i * valueDim + c];
                    float[] vc = v[j * valueDim + c];
                    float[] dvc = dv[j * valueDim + c];
                    for (int p = p0; p < p1; p++) d[p] += gc[p] * vc[p];
                    if (kp == null) {
                        for (int p = p0; p < p1; p++) dvc[p] += w[p] * gc[p];
                    } else {
                        for (int p = p0; p < p1; p++) dvc[p] += w[p] * kp[p] * gc[p];
                    }
                }
                if (kp != null) for (int p = p0; p < p1; p++) d[p] *= kp[p];
                for (int p = p0; p < p1; p++) dot[p] += d[p] * w[p];
            }
            for (int j = 0; j < visible; j++) {
                float[] w = weights[i * keys + j];
                float[] d = dp[j];
                for (int p = p0; p < p1; p++) d[p] = w[p] * (d[p] - dot[p]);
                for (int c = 0; c < keyDim; c++) {
                    float[] qc = q[i * keyDim + c];
                    float[] kc = k[j * keyDim + c];
                    float[] dqc = dq[i * keyDim + c];
                    float[] dkc = dk[j * keyDim + c];
                    for (int p = p0; p < p1; p++) dqc[p] += d[p] * kc[p];
                    for (int p = p0; p < p1; p++) dkc[p] += d[p] * qc[p];
                }
            }
        }
    }

    @Override
    protected void releaseSaved() {
        q = null;
        k = null;
        v = null;
        weights = null;
        keep = null;
    }
}
