package dev.nabla.ops;

/**
 * The gate math of one {@link Recurrence} step for a range of samples, forward and backward side by side, in place
 * on {@link RnnBuffers} (no allocation per step). A padded sample (mask 0) carries its state unchanged, outputs 0 and
 * passes its state's gradient straight to the step before.
 *
 * <p>Sigmoid and tanh go through {@code Math.exp} in double (an intrinsic; {@code Math.tanh} is not), so they agree
 * with PyTorch's float32 results to rounding and do not overflow ({@link #tanh} clamps where it is ±1 anyway).
 */
final class RecurrentCells {

    private RecurrentCells() {
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    static float tanh(float v) {
        double e = Math.exp(2.0 * Math.max(-20f, Math.min(20f, v)));
        return (float) ((e - 1.0) / (e + 1.0));
    }

    /** Step {@code s} for samples {@code [r0, r1)}: the gates hold the pre-activations, {@code hs[s]} the state. */
    static void forward(RnnBuffers b, int s, int r0, int r1) {
        int n = b.n;
        int h = b.hidden;
        for (int row = r0; row < r1; row++) {
            int prev = (s * n + row) * h;
            int next = prev + n * h;
            int g0 = (s * n + row) * b.gh;
            int out = b.sequences ? (row * b.steps + b.time(s)) * h : -1;
            if (!b.real(s, row)) {
                System.arraycopy(b.hs, prev, b.hs, next, h);
                if (b.cs != null) System.arraycopy(b.cs, prev, b.cs, next, h);
                continue; // the output there stays 0
            }
            switch (b.cell) {
                case LSTM -> lstmForward(b, g0, prev, next, (s * n + row) * h, h);
                case GRU -> gruForward(b, g0, row * b.gh, prev, next, (s * n + row) * h, h);
                case RNN_TANH, RNN_RELU -> rnnForward(b, g0, next, h, b.cell == RecurrentCell.RNN_RELU);
            }
            if (out >= 0) System.arraycopy(b.hs, next, b.y, out, h);
        }
    }

    private static void lstmForward(RnnBuffers b, int g0, int prev, int next, int a0, int h) {
        float[] g = b.gates;
        for (int j = 0; j < h; j++) {
            float i = sigmoid(g[g0 + j]);
            float f = sigmoid(g[g0 + h + j]);
            float c = tanh(g[g0 + 2 * h + j]);
            float o = sigmoid(g[g0 + 3 * h + j]);
            float cell = f * b.cs[prev + j] + i * c;
            float tc = tanh(cell);
            g[g0 + j] = i;
            g[g0 + h + j] = f;
            g[g0 + 2 * h + j] = c;
            g[g0 + 3 * h + j] = o;
            b.cs[next + j] = cell;
            b.aux[a0 + j] = tc;
            b.hs[next + j] = o * tc;
        }
    }

    private static void gruForward(RnnBuffers b, int g0, int hh0, int prev, int next, int a0, int h) {
        float[] g = b.gates;
        float[] hh = b.hh;
        for (int j = 0; j < h; j++) {
            float r = sigmoid(g[g0 + j] + hh[hh0 + j]);
            float z = sigmoid(g[g0 + h + j] + hh[hh0 + h + j]);
            float hn = hh[hh0 + 2 * h + j] + b.bhn[j];
            float cand = tanh(g[g0 + 2 * h + j] + r * hn);
            float hp = b.hs[prev + j];
            g[g0 + j] = r;
            g[g0 + h + j] = z;
            g[g0 + 2 * h + j] = cand;
            b.aux[a0 + j] = hn;
            // PyTorch's form of (1 - z) * n + z * h
            b.hs[next + j] = cand + z * (hp - cand);
        }
    }

    private static void rnnForward(RnnBuffers b, int g0, int next, int h, boolean relu) {
        float[] g = b.gates;
        for (int j = 0; j < h; j++) {
            float v = relu ? Math.max(g[g0 + j], 0f) : tanh(g[g0 + j]);
            g[g0 + j] = v;
            b.hs[next + j] = v;
        }
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
                continue; // its gate gradients stay 0; an LSTM's cell gradient passes on unchanged
            }
            if (b.sequences) {
                int out = (row * b.steps + b.time(s)) * h;
                for (int j = 0; j < h; j++) b.dh[d0 + j] += b.gy[out + j];
            }
            int g0 = (s * n + row) * b.gh;
            int prev = (s * n + row) * h;
            switch (b.cell) {
                case LSTM -> lstmBackward(b, g0, prev, d0, h);
                case GRU -> gruBackward(b, g0, prev, d0, h);
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

    private static void gruBackward(RnnBuffers b, int g0, int prev, int d0, int h) {
        float[] g = b.gates;
        for (int j = 0; j < h; j++) {
            float r = g[g0 + j];
            float z = g[g0 + h + j];
            float cand = g[g0 + 2 * h + j];
            float hn = b.aux[prev + j];
            float dh = b.dh[d0 + j];
            float dn = dh * (1f - z) * (1f - cand * cand);
            float dr = dn * hn * r * (1f - r);
            float dz = dh * (b.hs[prev + j] - cand) * z * (1f - z);
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
