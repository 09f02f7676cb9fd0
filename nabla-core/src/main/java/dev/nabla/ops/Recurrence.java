package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Gemm;
import dev.nabla.kernel.Kernels;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * One direction of one recurrent layer over a whole batch of sequences, as one op (PyTorch's {@code nn.LSTM},
 * {@code nn.GRU}, {@code nn.RNN} with {@code batch_first=True}, one layer, one direction), with backpropagation through
 * time. The input projection of every step is one GEMM (the bias included, as the weight of a column of ones); each
 * step is one GEMM {@code h @ W_hh^T} and the fused gate math of {@link RecurrentCells}, split by samples over the
 * threads. The backward pass is one GEMM per step for the state's gradient, one over all steps for the gradients of
 * {@code W_ih}, {@code W_hh} and the biases together (GRU: two), and one for the input's.
 *
 * <p>Shapes: {@code x [N, T, F]}, {@code weightIh [G*H, F]}, {@code weightHh [G*H, H]}, {@code biasIh} and
 * {@code biasHh [G*H]} ({@code G} gates, see {@link RecurrentCell}), {@code h0} and (LSTM) {@code c0 [N, H]} or null
 * for zeros, {@code mask [N, T]} (1 real, 0 padding; no gradient) or null. A reverse pass runs from the last step to
 * the first. The result is every step's state {@code [N, T, H]} (0 at padded steps) or the final state {@code [N, H]};
 * at padded steps the state is carried unchanged, so the final state is the one after each sample's last real step
 * and a reverse pass starts at each sample's last real step.
 */
public final class Recurrence extends Function {

    private RnnBuffers b;
    private Tensor weightIh;
    private Tensor weightHh;
    private final int[] xShape;

    private Recurrence(RnnBuffers b, Tensor weightIh, Tensor weightHh, int[] xShape) {
        this.b = b;
        this.weightIh = weightIh;
        this.weightHh = weightHh;
        this.xShape = xShape;
    }

    public static Tensor apply(RecurrentCell cell, Tensor x, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh,
                               Tensor h0, Tensor c0, Tensor mask, boolean reverse, boolean sequences) {
        int[] dims = check(cell, x, weightIh, weightHh, biasIh, biasHh, h0, c0, mask);
        int n = dims[0], steps = dims[1], features = dims[2], hidden = dims[3];
        RnnBuffers b = new RnnBuffers(cell, n, steps, features, hidden, reverse,
                mask == null ? null : Dense.zeroOffset(mask));
        b.sequences = sequences;
        float[] wih = Dense.zeroOffset(weightIh);
        float[] whh = Dense.zeroOffset(weightHh);
        int gh = b.gh;
        int rows = steps * n;

        // the inputs in step order beside a 1 and the states (see RnnBuffers.hs), projected for all steps at once
        // with the biases as the 1's weights: [T*N, F+1] x [F+1, G*H]
        float[] xd = Dense.zeroOffset(x);
        int width = b.width;
        b.hs = RnnPool.take((steps + 1) * n * width);
        if (h0 == null) for (int r = 0; r < n; r++) java.util.Arrays.fill(b.hs, b.state(0, r), b.state(0, r) + hidden, 0f);
        for (int s = 0; s < steps; s++) {
            int t = b.time(s);
            for (int r = 0; r < n; r++) {
                int row = (s * n + r) * width;
                System.arraycopy(xd, (r * steps + t) * features, b.hs, row, features);
                b.hs[row + features] = 1f;
            }
        }
        float[] bias = combinedBias(cell, Dense.zeroOffset(biasIh), Dense.zeroOffset(biasHh), hidden);
        float[] wAug = new float[gh * (features + 1)];
        for (int r = 0; r < gh; r++) {
            System.arraycopy(wih, r * features, wAug, r * (features + 1), features);
            wAug[r * (features + 1) + features] = bias[r];
        }
        b.gates = RnnPool.take(rows * gh);
        Gemm gemm = Kernels.gemm();
        if (rows > 0) gemm.sgemm(false, true, rows, gh, features + 1, 1f, b.hs, 0, width, wAug, 0, features + 1, 0f, b.gates, 0, gh);
        if (h0 != null) {
            float[] h0d = Dense.zeroOffset(h0);
            for (int r = 0; r < n; r++) System.arraycopy(h0d, r * hidden, b.hs, b.state(0, r), hidden);
        }
        // aux is read only where written (real steps); cs only from block 0 on, which is set here
        b.aux = cell == RecurrentCell.RNN_TANH || cell == RecurrentCell.RNN_RELU ? null : RnnPool.take(rows * hidden);
        if (cell == RecurrentCell.LSTM) {
            b.cs = RnnPool.take((steps + 1) * n * hidden);
            if (c0 != null) {
                System.arraycopy(Dense.zeroOffset(c0), 0, b.cs, 0, n * hidden);
            } else {
                java.util.Arrays.fill(b.cs, 0, n * hidden, 0f);
            }
        }
        if (cell == RecurrentCell.GRU) {
            b.hh = new float[n * gh];
            b.bhn = new float[hidden];
            System.arraycopy(Dense.zeroOffset(biasHh), 2 * hidden, b.bhn, 0, hidden);
        }
        b.y = new float[sequences ? n * steps * hidden : n * hidden];
        // W_hh^T [H, G*H], so that the per-step product reads both operands row by row
        float[] whhT = new float[hidden * gh];
        for (int r = 0; r < gh; r++) for (int j = 0; j < hidden; j++) whhT[j * gh + r] = whh[r * hidden + j];
        Gemm stepGemm = stepGemm();
        boolean split = stepGemm.allowsConcurrentCalls();
        for (int s = 0; s < steps; s++) {
            int step = s;
            if (split) {
                // each thread multiplies its own samples' rows and runs their gates: one hand-off per step
                inChunks(n, (r0, r1) -> {
                    stepForward(stepGemm, b, whhT, step, r0, r1);
                    RecurrentCells.forward(b, step, r0, r1);
                });
            } else {
                stepForward(stepGemm, b, whhT, step, 0, n);
                inChunks(n, (r0, r1) -> RecurrentCells.forward(b, step, r0, r1));
            }
        }
        if (!sequences) for (int r = 0; r < n; r++) System.arraycopy(b.hs, b.state(steps, r), b.y, r * hidden, hidden);
        b.hh = null;
        Tensor out = Tensor.wrap(b.y, sequences ? new int[]{n, steps, hidden} : new int[]{n, hidden});
        b.y = null;
        Tensor[] inputs = {x, weightIh, weightHh, biasIh, biasHh, h0, c0};
        if (!needsGrad(inputs)) {
            RnnPool.give(b.hs, b.gates, b.cs, b.aux);
            return out;
        }
        return new Recurrence(b, weightIh.detach(), weightHh.detach(), x.shape()).record(out, inputs);
    }

    /** Samples per chunk of a step's work. */
    private static final int ROW_CHUNK = 32;

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of {@link #ROW_CHUNK} samples that the threads take in turn
     * until none is left: on a machine shared with other work a thread that starts late finds the step done rather
     * than making the others wait for its fixed half, and the per-step hand-off stays one.
     */
    private static void inChunks(int n, Parallel.RangeBody body) {
        int chunks = (n + ROW_CHUNK - 1) / ROW_CHUNK;
        if (chunks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.forRange(Math.min(chunks, Parallel.threads()), 1, (t0, t1) -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                body.run(c * ROW_CHUNK, Math.min(n, (c + 1) * ROW_CHUNK));
            }
        });
    }

    /**
     * The GEMM for the per-step products, {@code [N, H] x [H, G*H]}: Nabla's own by default, which several threads
     * can call at once on their own samples, so one hand-off per step covers the product and the gates (measured
     * against oneDNN's, whose OpenMP team is woken for each of these small products: see bench/README.md);
     * {@code -Dnabla.rnn.gemm=native} takes {@link Kernels#gemm()} instead.
     */
    private static Gemm stepGemm() {
        return "native".equals(System.getProperty("nabla.rnn.gemm")) ? Kernels.gemm() : Kernels.javaGemm();
    }

    /** Rows {@code [r0, r1)} of step {@code s}'s {@code h W_hh^T}: into the gates (GRU: into its own buffer). */
    private static void stepForward(Gemm gemm, RnnBuffers b, float[] whhT, int s, int r0, int r1) {
        int m = r1 - r0, h = b.hidden, gh = b.gh;
        if (m <= 0) return;
        int a = b.state(s, r0);
        if (b.cell == RecurrentCell.GRU) {
            gemm.sgemm(false, false, m, gh, h, 1f, b.hs, a, b.width, whhT, 0, gh, 0f, b.hh, r0 * gh, gh);
        } else {
            gemm.sgemm(false, false, m, gh, h, 1f, b.hs, a, b.width, whhT, 0, gh, 1f, b.gates, (s * b.n + r0) * gh, gh);
        }
    }

    /** Rows {@code [r0, r1)} of {@code dhPrev += dHh[s] @ W_hh}. */
    private static void stepBackward(Gemm gemm, RnnBuffers b, float[] whh, int s, int r0, int r1) {
        int m = r1 - r0, h = b.hidden, gh = b.gh;
        if (m <= 0) return;
        gemm.sgemm(false, false, m, h, gh, 1f, b.dHh, (s * b.n + r0) * gh, gh, whh, 0, h, 1f, b.dhPrev, r0 * h, h);
    }

    /** The biases added to the input projection: both, except GRU's {@code b_hn}, which sits inside {@code r * (...)}. */
    private static float[] combinedBias(RecurrentCell cell, float[] ih, float[] hh, int hidden) {
        float[] out = new float[ih.length];
        int summed = cell == RecurrentCell.GRU ? 2 * hidden : ih.length;
        for (int j = 0; j < ih.length; j++) out[j] = ih[j] + (j < summed ? hh[j] : 0f);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = b.n, steps = b.steps, features = b.features, hidden = b.hidden, gh = b.gh, rows = steps * n;
        Gemm gemm = Kernels.gemm();
        float[] whh = Dense.zeroOffset(weightHh);
        b.gy = Dense.zeroOffset(g);
        // the gates' gradients overwrite the gates: each step reads its own gates just before writing their gradients
        b.dPre = b.gates;
        b.dHh = b.cell == RecurrentCell.GRU ? new float[rows * gh] : b.dPre;
        b.dh = b.sequences ? new float[n * hidden] : b.gy.clone();
        b.dhPrev = new float[n * hidden];
        if (b.cell == RecurrentCell.LSTM) b.dc = new float[n * hidden];
        Gemm stepGemm = stepGemm();
        boolean split = stepGemm.allowsConcurrentCalls();
        for (int s = steps - 1; s >= 0; s--) {
            int step = s;
            if (split) {
                inChunks(n, (r0, r1) -> {
                    RecurrentCells.backward(b, step, r0, r1);
                    stepBackward(stepGemm, b, whh, step, r0, r1);
                });
            } else {
                inChunks(n, (r0, r1) -> RecurrentCells.backward(b, step, r0, r1));
                stepBackward(stepGemm, b, whh, step, 0, n);
            }
            float[] swap = b.dh;
            b.dh = b.dhPrev;
            b.dhPrev = swap;
        }
        Tensor gradX = null;
        if (needsInputGrad(0)) {
            float[] dxs = new float[rows * features];
            if (rows > 0 && features > 0) {
                gemm.sgemm(false, false, rows, features, gh, 1f, b.dPre, 0, gh, Dense.zeroOffset(weightIh), 0, features, 0f, dxs, 0, features);
            }
            float[] dx = new float[rows * features];
            for (int s = 0; s < steps; s++) {
                int t = b.time(s);
                for (int r = 0; r < n; r++) System.arraycopy(dxs, (s * n + r) * features, dx, (r * steps + t) * features, features);
            }
            gradX = Tensor.wrap(dx, xShape);
        }
        // [G*H, F + 1 + H]: the gradients of W_ih, of the bias and of W_hh over every step, from one GEMM (GRU: two,
        // as its W_hn sees the n gate's gradient times r)
        int width = b.width;
        float[] dW = new float[gh * width];
        if (rows > 0) {
            if (b.dHh == b.dPre) {
                gemm.sgemm(true, false, gh, width, rows, 1f, b.dPre, 0, gh, b.hs, 0, width, 0f, dW, 0, width);
            } else {
                gemm.sgemm(true, false, gh, features + 1, rows, 1f, b.dPre, 0, gh, b.hs, 0, width, 0f, dW, 0, width);
                float[] dHh = new float[gh * (hidden + 1)];
                gemm.sgemm(true, false, gh, hidden + 1, rows, 1f, b.dHh, 0, gh, b.hs, features, width, 0f, dHh, 0, hidden + 1);
                // the ones column of the second product is the gradient of b_hh; its W_hh part goes after the first's
                for (int r = 0; r < gh; r++) System.arraycopy(dHh, r * (hidden + 1) + 1, dW, r * width + features + 1, hidden);
                Tensor gradBhh = columnOf(dHh, gh, hidden + 1, 0);
                return grads(gradX, dW, gradBhh, features, hidden);
            }
        }
        return grads(gradX, dW, columnOf(dW, gh, width, features), features, hidden);
    }

    /** Splits {@code dW} ({@code [G*H, F + 1 + H]}) into the gradients of the weights and the bias. */
    private Tensor[] grads(Tensor gradX, float[] dW, Tensor gradBhh, int features, int hidden) {
        int gh = b.gh;
        int width = b.width;
        Tensor gradWih = needsInputGrad(1) ? columns(dW, gh, width, 0, features) : null;
        Tensor gradWhh = needsInputGrad(2) ? columns(dW, gh, width, features + 1, hidden) : null;
        Tensor gradBih = needsInputGrad(3) ? columnOf(dW, gh, width, features) : null;
        if (!needsInputGrad(4)) gradBhh = null;
        Tensor gradH0 = needsInputGrad(5) ? Tensor.wrap(b.dh, b.n, hidden) : null;
        Tensor gradC0 = needsInputGrad(6) ? Tensor.wrap(b.dc, b.n, hidden) : null;
        return new Tensor[]{gradX, gradWih, gradWhh, gradBih, gradBhh, gradH0, gradC0};
    }

    /** Columns {@code [from, from + count)} of a {@code [rows, width]} array, as a {@code [rows, count]} tensor. */
    private static Tensor columns(float[] m, int rows, int width, int from, int count) {
        float[] out = new float[rows * count];
        for (int r = 0; r < rows; r++) System.arraycopy(m, r * width + from, out, r * count, count);
        return Tensor.wrap(out, rows, count);
    }

    private static Tensor columnOf(float[] m, int rows, int width, int column) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) out[r] = m[r * width + column];
        return Tensor.wrap(out, rows);
    }

    @Override
    protected void releaseSaved() {
        // the gradients returned by backward are copies: nothing outside holds these buffers
        if (b != null) RnnPool.give(b.hs, b.gates, b.cs, b.aux);
        b = null;
        weightIh = null;
        weightHh = null;
    }

    /** {@code [N, T, F, H]}, or a ShapeException naming what does not fit. */
    private static int[] check(RecurrentCell cell, Tensor x, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, Tensor h0,
                               Tensor c0, Tensor mask) {
        String op = "recurrence(" + cell.name().toLowerCase(java.util.Locale.ROOT) + ")";
        if (x.rank() != 3) throw new ShapeException(op + ": needs [batch, time, features] input, got " + Shape.str(x.shape()));
        int n = x.shape(0), steps = x.shape(1), features = x.shape(2);
        if (whh.rank() != 2 || whh.shape(0) % cell.gates != 0 || whh.shape(0) != cell.gates * whh.shape(1)) {
            throw new ShapeException(op + ": weight_hh must be [" + cell.gates + "*H, H], got " + Shape.str(whh.shape()));
        }
        int hidden = whh.shape(1), gh = cell.gates * hidden;
        if (wih.rank() != 2 || wih.shape(0) != gh || wih.shape(1) != features) {
            throw new ShapeException(op + ": weight_ih must be [" + gh + ", " + features + "] for input "
                    + Shape.str(x.shape()) + ", got " + Shape.str(wih.shape()));
        }
        for (Tensor bias : new Tensor[]{bih, bhh}) {
            if (bias.rank() != 1 || bias.shape(0) != gh) {
                throw new ShapeException(op + ": biases must be [" + gh + "], got " + Shape.str(bias.shape()));
            }
        }
        for (Tensor state : new Tensor[]{h0, c0}) {
            if (state != null && (state.rank() != 2 || state.shape(0) != n || state.shape(1) != hidden)) {
                throw new ShapeException(op + ": initial states must be [" + n + ", " + hidden + "] for input "
                        + Shape.str(x.shape()) + ", got " + Shape.str(state.shape()));
            }
        }
        if (c0 != null && cell != RecurrentCell.LSTM) throw new ShapeException(op + ": only an LSTM has a cell state");
        if (mask != null && (mask.rank() != 2 || mask.shape(0) != n || mask.shape(1) != steps)) {
            throw new ShapeException(op + ": mask must be [" + n + ", " + steps + "] for input " + Shape.str(x.shape())
                    + ", got " + Shape.str(mask.shape()));
        }
        return new int[]{n, steps, features, hidden};
    }
}
