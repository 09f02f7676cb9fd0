package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.RecurrentCell;

/**
 * Gated recurrent unit layer, PyTorch's {@code nn.GRU(batch_first=True)}: gates {@code r, z, n},
 * {@code n = tanh(W_in x + b_in + r*(W_hn h + b_hn))}, {@code h' = (1-z)*n + z*h}. Inputs {@code [batch, time, features]},
 * optionally {@code h0}; see {@link Recurrent} for outputs, stacking, directions, masks and weights.
 */
public final class GRU extends Recurrent {

    /**
     * @param units            state size {@code H}
     * @param direction        forward, reverse or bidirectional ({@code bi})
     * @param returnSequences  every step's state {@code [time, D*H]} instead of the last one {@code [D*H]}
     * @param numLayers        stacked layers
     */
    public record Config(int units, @Default("forward") Direction direction, @Default("false") boolean returnSequences,
                         @Default("1") int numLayers) {
        public Config {
            if (units < 1) throw new IllegalArgumentException("units must be at least 1, got " + units);
            if (numLayers < 1) throw new IllegalArgumentException("num_layers must be at least 1, got " + numLayers);
        }
    }

    private final Config config;

    public GRU(int units) {
        this(new Config(units, Direction.FORWARD, false, 1));
    }

    public GRU(Config config) {
        super(RecurrentCell.GRU, config.units(), config.direction(), config.returnSequences(), config.numLayers());
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public GRU returningSequences() {
        return new GRU(new Config(config.units(), config.direction(), true, config.numLayers()));
    }
}
