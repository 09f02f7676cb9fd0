package dev.nabla.ops;

/**
 * What a {@link Recurrence} keeps between its forward and backward passes and the per-step scratch of both, all in
 * step order {@code s} (the time step {@link #time(int)}, reversed for a reverse pass), so that every per-step slice
 * is one contiguous {@code [N, ...]} block and the weight gradients over all steps are one GEMM each.
 */
final class RnnBuffers {

    final RecurrentCell cell;
    final int n;
    final int steps;
    final int features;
    final int hidden;
    final int gh;
    final boolean reverse;
    /** {@code [N, T]}, 1 for a real step, or null: every step is real. */
    final float[] mask;
    /**
     * Inputs and states side by side, {@code [T+1, N, F + 1 + H]}: row {@code (s, n)} holds the input of step
     * {@code s}, a 1, and the state before step {@code s} (block {@code T}: the final state). One GEMM over these rows
     * gives the gradients of {@code W_ih}, the bias and {@code W_hh} at once, and the input projection takes its bias
     * from the 1.
     */
    float[] hs;
    /** The row width of {@link #hs}, and where the state starts in a row. */
    final int width;
    final int stateAt;
    /** Pre-activations, then (in place) the activated gates: {@code [T, N, G*H]}. */
    float[] gates;
    /** LSTM cell states {@code [T+1, N, H]}. */
    float[] cs;
    /** LSTM: {@code tanh(c)} after each step; GRU: {@code W_hn h + b_hn} at each step; {@code [T, N, H]}. */
    float[] aux;
    /** GRU: the step's {@code h W_hh^T} ({@code [N, G*H]}), and {@code b_hn} ({@code [H]}). */
    float[] hh;
    float[] bhn;
    /** The output, {@code [N, T, H]} or {@code [N, H]}. */
    float[] y;
    boolean sequences;

    // backward
    /** Gradient of the gates' pre-activations as the input projection sees them, {@code [T, N, G*H]} (in {@link #gates}). */
    float[] dPre;
    /** GRU: as the recurrent projection sees them (the n block times r), {@code [T, N, G*H]}; others: dPre. */
    float[] dHh;
    /** Gradients of the state after the current step, and of the one before it, {@code [N, H]}. */
    float[] dh;
    float[] dhPrev;
    /** LSTM: the gradient of the cell state, {@code [N, H]}. */
    float[] dc;
    /** The output's gradient, laid out as {@link #y}. */
    float[] gy;

    RnnBuffers(RecurrentCell cell, int n, int steps, int features, int hidden, boolean reverse, float[] mask) {
        this.cell = cell;
        this.n = n;
        this.steps = steps;
        this.features = features;
        this.hidden = hidden;
        this.gh = cell.gates * hidden;
        this.reverse = reverse;
        this.mask = mask;
        this.width = features + 1 + hidden;
        this.stateAt = features + 1;
    }

    /** Where the state before step {@code s} of sample {@code row} starts in {@link #hs}. */
    int state(int s, int row) {
        return (s * n + row) * width + stateAt;
    }

    /** The time index of step {@code s}. */
    int time(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** Whether sample {@code row} has a real (not padded) value at step {@code s}. */
    boolean real(int s, int row) {
        return mask == null || mask[row * steps + time(s)] != 0f;
    }
}
