package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

/**
 * Parametric ReLU, PyTorch's {@code nn.PReLU}: {@code x} where positive, {@code alpha * x} elsewhere, with a learned
 * slope per channel (the first per-sample axis) or one shared slope; slopes start at {@code alpha_initializer}.
 */
public final class PReLU extends Layer {

    /** @param shared true: one slope for everything; false: one per channel */
    public record Config(@Default("0.25") float alphaInitializer, @Default("false") boolean shared) {
    }

    private final Config config;
    private Tensor alpha;

    public PReLU(Config config) {
        this.config = config;
    }

    public PReLU() {
        this(new Config(0.25f, false));
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        int slopes = config.shared || in.length == 0 ? 1 : in[0];
        alpha = registerParameter("alpha", Tensor.full(config.alphaInitializer, slopes));
    }

    @Override
    protected Tensor call(Tensor x) {
        return x.prelu(alpha);
    }
}
