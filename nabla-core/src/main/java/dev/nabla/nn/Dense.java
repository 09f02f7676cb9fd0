package dev.nabla.nn;

import dev.nabla.ops.Linear;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fully connected layer: {@code activation(x @ weight + bias)} over the last axis, with weight {@code [in, units]}.
 * Weights and bias start like PyTorch's {@code nn.Linear}: uniform in {@code ±1/sqrt(in)}.
 */
public final class Dense extends Layer {

    private final int units;
    private final Activation activation;
    private final boolean useBias;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private Tensor weight;
    private Tensor bias;

    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    public Dense(int units, Activation activation) {
        this(units, activation, true, Initializer.torchDefault(), Initializer.torchDefault());
    }

    public Dense(int units, Activation activation, boolean useBias, Initializer weightInit, Initializer biasInit) {
        if (units < 1) throw new IllegalArgumentException("dense: units must be at least 1, got " + units);
        this.units = units;
        this.activation = activation;
        this.useBias = useBias;
        this.weightInit = weightInit;
        this.biasInit = biasInit;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length == 0) throw new ShapeException("dense(" + units + "): needs inputs with a feature axis, got per-sample shape []");
        int[] out = inputShape.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    protected void build(int[] inputShape, RandomGenerator rng) {
        int in = inputShape[inputShape.length - 1];
        weight = registerParameter("weight", weightInit.create(new int[]{in, units}, in, units, rng));
        if (useBias) bias = registerParameter("bias", biasInit.create(new int[]{units}, in, units, rng));
    }

    @Override
    protected Tensor call(Tensor x) {
        // ReLU fuses into the product's own buffer; any other activation follows as its own op
        if (activation == Activation.RELU) return Linear.apply(x, weight, bias, true);
        return activation.apply(Linear.apply(x, weight, bias, false));
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int units() {
        return units;
    }

    @Override
    public String type() {
        return "dense";
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("units", Integer.toString(units));
        c.put("activation", activation.id());
        c.put("use_bias", Boolean.toString(useBias));
        return c;
    }

}
