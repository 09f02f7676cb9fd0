package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.RecurrentCell;

/**
 * Fully connected recurrent layer, PyTorch's {@code nn.RNN(batch_first=True)}:
 * {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with {@code act} tanh (default) or relu. Inputs
 * {@code [batch, time, features]}, optionally {@code h0}; see {@link Recurrent} for outputs, stacking, directions, masks
 * and weights.
 */
public final class SimpleRNN extends Recurrent {

    /**
     * @param units            state size {@code H}
     * @param activation       tanh or relu
     * @param direction        forward, reverse or bidirectional ({@code bi})
     * @param returnSequences  every step's state {@code [time, D*H]} instead of the last one {@code [D*H]}
     * @param numLayers        stacked layers
     */
    public record Config(int units, @Default("tanh") Activation activation, @Default("forward") Direction direction,
                         @Default("false") boolean returnSequences, @Default("1") int numLayers) {
        public Config {
            if (units < 1) throw new IllegalArgumentException("units must be at least 1, got " + units);
            if (numLayers < 1) throw new IllegalArgumentException("num_layers must be at least 1, got " + numLayers);
            if (activation != Activation.TANH && activation != Activation.RELU) {
                throw new IllegalArgumentException("activation must be tanh or relu, got " + activation.id());
            }
        }
    }

    private final Config config;

    public SimpleRNN(int units) {
        this(new Config(units, Activation.TANH, Direction.FORWARD, false, 1));
    }

    public SimpleRNN(Config config) {
        super(config.activation() == Activation.RELU ? RecurrentCell.RNN_RELU : RecurrentCell.RNN_TANH, config.units(),
                config.direction(), config.returnSequences(), config.numLayers());
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public SimpleRNN returningSequences() {
        return new SimpleRNN(new Config(config.units(), config.activation(), config.direction(), true, config.numLayers()));
    }
}
