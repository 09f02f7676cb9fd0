package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.Linear;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Fully connected layer: {@code activation(x @ weight + bias)} over the last axis, with weight {@code [in, units]}.
 * Weights and bias start like PyTorch's {@code nn.Linear}: uniform in {@code ±1/sqrt(in)}.
 */
public final class Dense extends Layer {

    /**
     * @param units              output features
     * @param activation         applied to the output
     * @param useBias            whether to add a learned bias
     * @param kernelInitializer  how the weight starts ({@link Initializer#of} names)
     * @param biasInitializer    how the bias starts
     */
    public record Config(int units, @Default("linear") Activation activation, @Default("true") boolean useBias,
                         @Default("torch_default") String kernelInitializer, @Default("torch_default") String biasInitializer) {
        public Config {
            if (units < 1) throw new IllegalArgumentException("units must be at least 1, got " + units);
            Initializer.of(kernelInitializer);
            Initializer.of(biasInitializer);
        }
    }

    private final Config config;
    private Tensor weight;
    private Tensor bias;

    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    public Dense(int units, Activation activation) {
        this(new Config(units, activation, true, "torch_default", "torch_default"));
    }

    public Dense(int units, Activation activation, boolean useBias, Initializer weightInit, Initializer biasInit) {
        this(new Config(units, activation, useBias, weightInit.name(), biasInit.name()));
    }

    public Dense(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length == 0) throw new ShapeException(describe() + ": needs inputs with a feature axis, got per-sample shape []");
        int[] out = inputShape.clone();
        out[out.length - 1] = config.units;
        return out;
    }

    @Override
    protected void build(int[] inputShape) {
        int in = inputShape[inputShape.length - 1];
        int units = config.units;
        weight = registerParameter("weight", Initializer.of(config.kernelInitializer)
                .create(new int[]{in, units}, in, units, random("weight")));
        if (config.useBias) {
            bias = registerParameter("bias", Initializer.of(config.biasInitializer)
                    .create(new int[]{units}, in, units, random("bias")));
        }
    }

    /** Keeps every step in its place (it works per element or along the last axis), so a padding mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /** Sequences may change length from batch to batch: only the features must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    @Override
    protected Tensor call(Tensor x) {
        // ReLU fuses into the product's own buffer; any other activation follows as its own op
        if (config.activation == Activation.RELU) return Linear.apply(x, weight, bias, true);
        return config.activation.apply(Linear.apply(x, weight, bias, false));
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int units() {
        return config.units;
    }
}
