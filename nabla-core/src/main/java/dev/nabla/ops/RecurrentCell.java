package dev.nabla.ops;

/**
 * The cell a {@link Recurrence} runs at every step, with PyTorch's gate order in {@code weight_ih [G*H, F]},
 * {@code weight_hh [G*H, H]}, {@code bias_ih} and {@code bias_hh} ({@code G} = {@link #gates}):
 * <ul>
 *   <li>{@link #LSTM}: gates {@code i, f, g, o}; {@code c' = f*c + i*g}, {@code h' = o*tanh(c')}</li>
 *   <li>{@link #GRU}: gates {@code r, z, n}; {@code n = tanh(W_in x + b_in + r*(W_hn h + b_hn))},
 *       {@code h' = (1-z)*n + z*h}</li>
 *   <li>{@link #RNN_TANH}, {@link #RNN_RELU}: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}</li>
 * </ul>
 */
public enum RecurrentCell {
    LSTM(4), GRU(3), RNN_TANH(1), RNN_RELU(1);

    /** Gate blocks in the weights' first axis. */
    public final int gates;

    RecurrentCell(int gates) {
        this.gates = gates;
    }
}
