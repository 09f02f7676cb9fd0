package dev.nabla.ops;

/**
 * The gate math of one {@link Recurrence} step for a range of samples, forward and backward side by side, in place
 * on {@link RnnBuffers} (no allocation per step). A padded sample (mask 0) carries its state unchanged, outputs 0 and
 * passes its state's gradient straight to the step before.
 *
 * <p>tanh is a rational function of floats (Eigen's {@code ptanh_float}: at most 4e-7 from the true value, 1 beyond
 * ±7.9 where float's tanh is 1), and sigmoid is {@code (1 + tanh(x/2)) / 2}: without {@code Math.exp} or
 * {@code Math.tanh} (neither vectorises; {@code Math.tanh} is not even an intrinsic) the gate loops compile to vector
 * instructions, measured 0.5 against 6 to 10 ns per value, which made the gates, not the GEMMs, the LSTM step's cost.
 * Each gate block is its own in-place loop over one range for the same reason.
 */
final class RecurrentCells {

    private RecurrentCells() {
    }

    static float sigmoid(float v) {
        return 0.5f + 0.5f * tanh(0.5f * v);
    }

    static float tanh(float v) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, v));
        float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 - 8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return x * p / q;
    }

    /** {@code v[i] = sigmoid(v[i])} for {@code i} in {@code [from, to)}. */
    private static void sigmoidInPlace(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = sigmoid(v[i]);
    }

    private static void tanhInPlace(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = tanh(v[i]);
    }

    /** Step {@code s} for samples {@code [r0, r1)}: the gates hold the pre-activations, {@code hs[s]} the state. */
    static void forward(RnnBuffers b, int s, int r0, int r1) {
        int n = b.n;
        int h = b.hidden;
        for (int row = r0; row < r1; row++) {
            int prev = b.state(s, row);
            int next = b.state(s + 1, row);
            int c0 = (s * n + row) * h;
            int g0 = (s * n + row) * b.gh;
            int out = b.sequences ? (row * b.steps + b.time(s)) * h : -1;
            if (!b.real(s, row)) {
                System.arraycopy(b.hs, prev, b.hs, next, h);
                if (b.cs != null) System.arraycopy(b.cs, c0, b.cs, c0 + n * h, h);
                continue; // the output there stays 0
            }
            switch (b.cell) {
                case LSTM -> lstmForward(b, g0, c0, next, h);
                case GRU -> gruForward(b, g0, row * b.gh, prev, next, c0, h);
                case RNN_TANH, RNN_RELU -> rnnForward(b, g0, next, h, b.cell == RecurrentCell.RNN_RELU);
            }
            if (out >= 0) System.arraycopy(b.hs, next, b.y, out, h);
        }
    }

    /** {@code c0}: where this step's cell state and {@code tanh(c)} go ({@code [T, N, H]} offsets); next: the state's. */
    private static void lstmForward(RnnBuffers b, int g0, int c0, int next, int h) {
        float[] g = b.gates;
        sigmoidInPlace(g, g0, g0 + 2 * h);
        tanhInPlace(g, g0 + 2 * h, g0 + 3 * h);
        sigmoidInPlace(g, g0 + 3 * h, g0 + 4 * h);
        float[] cs = b.cs;
        int cNext = c0 + b.n * h;
        for (int j = 0; j < h; j++) cs[cNext + j] = g[g0 + h + j] * cs[c0 + j] + g[g0 + j] * g[g0 + 2 * h + j];
        float[] aux = b.aux;
        int a0 = c0;
        for (int j = 0; j < h; j++) aux[a0 + j] = tanh(cs[cNext + j]);
        float[] hs = b.hs;
        for (int j = 0; j < h; j++) hs[next + j] = g[g0 + 3 * h + j] * aux[a0 + j];
    }

    private static void gruForward(RnnBuffers b, int g0, int hh0, int prev, int next, int a0, int h) {
        float[] g = b.gates;
        float[] hh = b.hh;
        for (int j = 0; j < 2 * h; j++) g[g0 + j] = sigmoid(g[g0 + j] + hh[hh0 + j]);
        float[] aux = b.aux;
        for (int j = 0; j < h; j++) aux[a0 + j] = hh[hh0 + 2 * h + j] + b.bhn[j];
        for (int j = 0; j < h; j++) g[g0 + 2 * h + j] = tanh(g[g0 + 2 * h + j] + g[g0 + j] * aux[a0 + j]);
        float[] hs = b.hs;
        // PyTorch's form of (1 - z) * n + z * h
        for (int j = 0; j < h; j++) {
            float cand = g[g0 + 2 * h + j];
            hs[next + j] = cand + g[g0 + h + j] * (hs[prev + j] - cand);
        }
    }

    private static void rnnForward(RnnBuffers b, int g0, int next, int h, boolean relu) {
        float[] g = b.gates;
        if (relu) {
            for (int j = 0; j < h; j++) g[g0 + j] = Math.max(g[g0 + j], 0f);
        } else {
            tanhInPlace(g, g0, g0 + h);
        }
        System.arraycopy(g, g0, b.hs, next, h);
    }

    /**
     * Back through step {@code s} for samples {@code [r0, r1)}: {@code dh} holds the gradient of the state after the
     * step (without this step's output gradient, which is added here). Writes the gates' gradients and the part of
     * {@code dhPrev} that does not go through {@code W_hh} (the caller adds {@code dHh @ W_hh}).
     */
    static void backward(RnnBuffers b, int s, int r0, int r1) {
        int n = b.n;
        int h = b.hidden;
        for (int row = r0; row < r1; row++) {
            int d0 = row * h;
            if (!b.real(s, row)) {
                System.arraycopy(b.dh, d0, b.dhPrev, d0, h);
                int g0 = (s * n + row) * b.gh;
                java.util.Arrays.fill(b.dPre, g0, g0 + b.gh, 0f);
                continue; // no gate gradients; an LSTM's cell gradient passes on unchanged
            }
            if (b.sequences) {
                int out = (row * b.steps + b.time(s)) * h;
                for (int j = 0; j < h; j++) b.dh[d0 + j] += b.gy[out + j];
            }
            int g0 = (s * n + row) * b.gh;
            int prev = (s * n + row) * h;
            switch (b.cell) {
                case LSTM -> lstmBackward(b, g0, prev, d0, h);
                case GRU -> gruBackward(b, g0, prev, b.state(s, row), d0, h);
                case RNN_TANH, RNN_RELU -> rnnBackward(b, g0, d0, h, b.cell == RecurrentCell.RNN_RELU);
            }
        }
    }

    private static void lstmBackward(RnnBuffers b, int g0, int prev, int d0, int h) {
        float[] g = b.gates;
        float[] dp = b.dPre;
        for (int j = 0; j < h; j++) {
            float i = g[g0 + j];
            float f = g[g0 + h + j];
            float c = g[g0 + 2 * h + j];
            float o = g[g0 + 3 * h + j];
            float tc = b.aux[prev + j];
            float dh = b.dh[d0 + j];
            float dc = b.dc[d0 + j] + dh * o * (1f - tc * tc);
            dp[g0 + j] = dc * c * i * (1f - i);
            dp[g0 + h + j] = dc * b.cs[prev + j] * f * (1f - f);
            dp[g0 + 2 * h + j] = dc * i * (1f - c * c);
            dp[g0 + 3 * h + j] = dh * tc * o * (1f - o);
            b.dc[d0 + j] = dc * f;
            b.dhPrev[d0 + j] = 0f;
        }
    }

    private static void gruBackward(RnnBuffers b, int g0, int prev, int state, int d0, int h) {
        float[] g = b.gates;
        for (int j = 0; j < h; j++) {
            float r = g[g0 + j];
            float z = g[g0 + h + j];
            float cand = g[g0 + 2 * h + j];
            float hn = b.aux[prev + j];
            float dh = b.dh[d0 + j];
            float dn = dh * (1f - z) * (1f - cand * cand);
            float dr = dn * hn * r * (1f - r);
            float dz = dh * (b.hs[state + j] - cand) * z * (1f - z);
            b.dPre[g0 + j] = dr;
            b.dPre[g0 + h + j] = dz;
            b.dPre[g0 + 2 * h + j] = dn;
            b.dHh[g0 + j] = dr;
            b.dHh[g0 + h + j] = dz;
            b.dHh[g0 + 2 * h + j] = dn * r;
            b.dhPrev[d0 + j] = dh * z;
        }
    }

    private static void rnnBackward(RnnBuffers b, int g0, int d0, int h, boolean relu) {
        float[] g = b.gates;
        for (int j = 0; j < h; j++) {
            float v = g[g0 + j];
            float slope = relu ? Relu.positive(v) : 1f - v * v;
            b.dPre[g0 + j] = b.dh[d0 + j] * slope;
            b.dhPrev[d0 + j] = 0f;
        }
    }
}
