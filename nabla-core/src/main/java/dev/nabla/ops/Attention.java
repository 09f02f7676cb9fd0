package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Scaled dot-product attention over several heads as one op: for each sample and head,
 * {@code softmax(Q K^T / sqrt(d) + mask) V}, with optional dropout on the attention weights. The heads stay interleaved
 * in the feature axis as the projections produce them ({@code [N, T, heads * d]}, head {@code h} in columns
 * {@code h*d .. h*d+d}), so no permute copies are made either way; the output has the same layout.
 *
 * <p>Masked positions (padded keys, later keys under {@code causal}) get weight exactly 0. A query that can see no key
 * at all gets an all-zero weight row, hence output 0 and no gradient, where PyTorch gives NaN.
 *
 * <p>Why one op: the products per head are tiny (16 x 16 x 16 for a small vision transformer), so a GEMM call, a
 * permute and a softmax op per head cost more in overhead and memory sweeps than the arithmetic. The loops below are
 * all of the {@code row += a * other_row} form, which the JIT vectorises.
 */
public final class Attention extends Function {

    private final int batch;
    private final int queries;
    private final int keys;
    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private final float scale;
    private float[] q;
    private float[] k;
    private float[] v;
    /** Softmax weights, {@code [N, heads, Tq, Tk]}, before dropout. */
    private float[] weights;
    /** Dropout's per-weight factors (0 or 1/(1-rate)), same layout as {@link #weights}, or null. */
    private float[] keep;

    private Attention(int batch, int queries, int keys, int heads, int keyDim, int valueDim, float scale) {
        this.batch = batch;
        this.queries = queries;
        this.keys = keys;
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.scale = scale;
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
        int d = sq[2] / heads;
        Attention fn = new Attention(sq[0], sq[1], sk[1], heads, d, sv[2] / heads, (float) (1.0 / Math.sqrt(d)));
        fn.q = Dense.zeroOffset(query);
        fn.k = Dense.zeroOffset(key);
        fn.v = Dense.zeroOffset(value);
        fn.weights = new float[fn.batch * heads * fn.queries * fn.keys];
        float[] mask = keyMask == null ? null : Dense.zeroOffset(keyMask);
        if (dropout > 0f) {
            float[] keep = new float[fn.weights.length];
            float factor = 1f / (1f - dropout);
            for (int i = 0; i < keep.length; i++) keep[i] = rng.nextFloat() >= dropout ? factor : 0f;
            fn.keep = keep;
        }
        float[] out = new float[fn.batch * fn.queries * heads * fn.valueDim];
        int pairs = fn.batch * heads;
        int work = Math.max(1, fn.queries * fn.keys * (d + fn.valueDim));
        Parallel.forRange(pairs, Math.max(1, (1 << 16) / work), (s, e) -> {
            float[] kt = new float[d * fn.keys];
            for (int pair = s; pair < e; pair++) fn.forwardPair(pair, mask, causal, kt, out);
        });
        Tensor result = Tensor.wrap(out, sq[0], sq[1], heads * fn.valueDim);
        if (!needsGrad(query, key, value)) return result;
        return fn.record(result, query, key, value);
    }

    private void forwardPair(int pair, float[] mask, boolean causal, float[] kt, float[] out) {
        int n = pair / heads;
        int h = pair % heads;
        int qRow = heads * keyDim;
        int vRow = heads * valueDim;
        int qo = n * queries * qRow + h * keyDim;
        int ko = n * keys * qRow + h * keyDim;
        int vo = n * keys * vRow + h * valueDim;
        int oo = n * queries * vRow + h * valueDim;
        int po = pair * queries * keys;
        // K^T of this head, so that each score row is a sum of rows of kt
        for (int j = 0; j < keys; j++) for (int c = 0; c < keyDim; c++) kt[c * keys + j] = k[ko + j * qRow + c];
        for (int i = 0; i < queries; i++) {
            int row = po + i * keys;
            Arrays.fill(weights, row, row + keys, 0f);
            for (int c = 0; c < keyDim; c++) {
                float a = q[qo + i * qRow + c] * scale;
                int t = c * keys;
                for (int j = 0; j < keys; j++) weights[row + j] += a * kt[t + j];
            }
            if (mask != null) for (int j = 0; j < keys; j++) if (mask[n * keys + j] == 0f) weights[row + j] = Float.NEGATIVE_INFINITY;
            if (causal) for (int j = i + 1; j < keys; j++) weights[row + j] = Float.NEGATIVE_INFINITY;
            softmaxRow(weights, row, keys);
            int o = oo + i * vRow;
            for (int j = 0; j < keys; j++) {
                float p = keep == null ? weights[row + j] : weights[row + j] * keep[row + j];
                if (p == 0f) continue;
                int vr = vo + j * vRow;
                for (int c = 0; c < valueDim; c++) out[o + c] += p * v[vr + c];
            }
        }
    }

    /** Softmax in place; a row of only -infinity (nothing visible) becomes all zeros. */
    private static void softmaxRow(float[] x, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, x[o + j]);
        if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(x, o, o + n, 0f);
            return;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[o + j] - max);
            x[o + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) x[o + j] *= inv;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Dense.zeroOffset(gradOutput);
        float[] dq = new float[q.length];
        float[] dk = new float[k.length];
        float[] dv = new float[v.length];
        int work = Math.max(1, queries * keys * (keyDim + valueDim));
        Parallel.forRange(batch * heads, Math.max(1, (1 << 15) / work), (s, e) -> {
            float[] vt = new float[valueDim * keys];
            float[] dp = new float[keys];
            for (int pair = s; pair < e; pair++) backwardPair(pair, g, dq, dk, dv, vt, dp);
        });
        int qRow = heads * keyDim;
        return new Tensor[]{
                needsInputGrad(0) ? Tensor.wrap(dq, batch, queries, qRow) : null,
                needsInputGrad(1) ? Tensor.wrap(dk, batch, keys, qRow) : null,
                needsInputGrad(2) ? Tensor.wrap(dv, batch, keys, heads * valueDim) : null};
    }

    private void backwardPair(int pair, float[] g, float[] dq, float[] dk, float[] dv, float[] vt, float[] dp) {
        int n = pair / heads;
        int h = pair % heads;
        int qRow = heads * keyDim;
        int vRow = heads * valueDim;
        int qo = n * queries * qRow + h * keyDim;
        int ko = n * keys * qRow + h * keyDim;
        int vo = n * keys * vRow + h * valueDim;
        int go = n * queries * vRow + h * valueDim;
        int po = pair * queries * keys;
        for (int j = 0; j < keys; j++) for (int c = 0; c < valueDim; c++) vt[c * keys + j] = v[vo + j * vRow + c];
        for (int i = 0; i < queries; i++) {
            int row = po + i * keys;
            int gi = go + i * vRow;
            // dP = dO V^T, and dV += P^T dO, one query row at a time
            Arrays.fill(dp, 0f);
            for (int c = 0; c < valueDim; c++) {
                float a = g[gi + c];
                int t = c * keys;
                for (int j = 0; j < keys; j++) dp[j] += a * vt[t + j];
            }
            for (int j = 0; j < keys; j++) {
                float p = keep == null ? weights[row + j] : weights[row + j] * keep[row + j];
                if (p == 0f) continue;
                int vr = vo + j * vRow;
                for (int c = 0; c < valueDim; c++) dv[vr + c] += p * g[gi + c];
            }
            if (keep != null) for (int j = 0; j < keys; j++) dp[j] *= keep[row + j];
            // softmax backward: dS = P * (dP - sum(dP * P)), then the scale of the scores
            double dot = 0;
            for (int j = 0; j < keys; j++) dot += dp[j] * weights[row + j];
            float dotF = (float) dot;
            int qi = qo + i * qRow;
            for (int j = 0; j < keys; j++) {
                float p = weights[row + j];
                if (p == 0f) continue;
                float ds = p * (dp[j] - dotF) * scale;
                int kr = ko + j * qRow;
                for (int c = 0; c < keyDim; c++) {
                    dq[qi + c] += ds * k[kr + c];
                    dk[kr + c] += ds * q[qi + c];
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
