package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Adds a learned vector per position to a sequence: {@code [batch, T, E]} in, {@code x + table[0:T]} out, with
 * {@code table [max_length, E]} (Keras' {@code PositionEmbedding}; in PyTorch an {@code nn.Parameter} added to the
 * tokens). The table starts standard normal, like PyTorch's {@code nn.Embedding}, unless another initializer is named.
 */
public final class PositionEmbedding extends Layer {

    /** @param maxLength the longest sequence it takes; @param initializer how the table starts */
    public record Config(int maxLength, @Default("normal") String initializer) {
        public Config {
            if (maxLength < 1) throw new IllegalArgumentException("max_length must be at least 1, got " + maxLength);
            Initializer.of(initializer);
        }
    }

    private final Config config;
    private Tensor table;

    public PositionEmbedding(int maxLength) {
        this(new Config(maxLength, "normal"));
    }

    public PositionEmbedding(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) throw new ShapeException(describe() + ": needs sequences [batch, time, features], got per-sample shape " + Shape.str(in));
        if (in[0] > config.maxLength) {
            throw new ShapeException(describe() + ": sequences of " + in[0] + " steps are longer than max_length " + config.maxLength);
        }
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        int e = in[1];
        table = registerParameter("table", Initializer.of(config.initializer)
                .create(new int[]{config.maxLength, e}, config.maxLength, e, random("table")));
    }

    @Override
    protected Tensor call(Tensor x) {
        int steps = x.shape(1);
        Tensor positions = steps == config.maxLength ? table : table.narrow(0, 0, steps);
        return x.add(positions);
    }

    /** Each step stays in its place: a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }
}
