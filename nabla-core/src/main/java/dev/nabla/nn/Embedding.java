package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * Looks up a learned vector for each token id: {@code [batch, ...]} ids (whole numbers in {@code [0, vocabulary)})
 * become {@code [batch, ..., dimension]}. Vectors start standard normal, like PyTorch's {@code nn.Embedding}.
 *
 * <p>With a padding index (PyTorch's {@code padding_idx}, Keras' {@code mask_zero} for index 0) that id's vector is
 * zero and never learns, and a sequence of ids {@code [batch, time]} gives its output a padding mask (see
 * {@link Tensor#mask()}) so that recurrent layers, attention and pooling over time skip the padded steps:
 *
 * <pre>{@code
 * new Sequential(new Embedding(10_000, 64, 0), new GlobalAveragePool1D(), new Dense(2))
 * }</pre>
 */
public final class Embedding extends Layer {

    /**
     * @param inputDim vocabulary size (ids in [0, input_dim)); @param outputDim vector length;
     * @param paddingIndex the id of padding (masked, vector zero), or -1 for none
     */
    public record Config(int inputDim, int outputDim, @Default("-1") int paddingIndex) {
        public Config {
            if (inputDim < 1 || outputDim < 1) {
                throw new IllegalArgumentException("input_dim and output_dim must be positive, got " + inputDim + ", " + outputDim);
            }
            if (paddingIndex < -1 || paddingIndex >= inputDim) {
                throw new IllegalArgumentException("padding_index must be -1 (none) or an id in [0, " + inputDim + "), got "
                        + paddingIndex);
            }
        }
    }

    private final Config config;
    private Tensor table;

    public Embedding(int vocabulary, int dimension) {
        this(vocabulary, dimension, -1);
    }

    /** An embedding whose id {@code paddingIndex} is padding (see the class comment). */
    public Embedding(int vocabulary, int dimension, int paddingIndex) {
        this(new Config(vocabulary, dimension, paddingIndex));
    }

    public Embedding(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = config.outputDim;
        return out;
    }

    @Override
    protected void build(int[] in) {
        Tensor initial = Initializer.normal(1f).create(new int[]{config.inputDim, config.outputDim}, config.inputDim,
                config.outputDim, random("table"));
        if (config.paddingIndex >= 0) {
            Arrays.fill(initial.data(), config.paddingIndex * config.outputDim, (config.paddingIndex + 1) * config.outputDim, 0f);
        }
        table = registerParameter("table", initial);
    }

    /** Sequences of ids may change length from batch to batch. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return built.length == now.length;
    }

    @Override
    protected Tensor call(Tensor x) {
        float[] ids = x.toArray();
        int vocabulary = config.inputDim;
        int[] indices = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            float id = ids[i];
            if (id != Math.rint(id) || id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("embedding: token id " + id + " is not a whole number in [0, "
                        + vocabulary + ")");
            }
            indices[i] = (int) id;
        }
        int[] shape = Arrays.copyOf(x.shape(), x.rank() + 1);
        shape[x.rank()] = config.outputDim;
        Tensor vectors = table.indexSelect(0, indices).reshape(shape);
        if (config.paddingIndex < 0) return vectors;
        // multiplying by the mask keeps the padding vector's output zero and its gradient zero, as padding_idx does
        float[] keep = new float[ids.length];
        for (int i = 0; i < ids.length; i++) keep[i] = indices[i] == config.paddingIndex ? 0f : 1f;
        int[] keepShape = Arrays.copyOf(x.shape(), x.rank() + 1);
        keepShape[x.rank()] = 1;
        Tensor out = vectors.mul(Tensor.wrap(keep, keepShape));
        return x.rank() == 2 ? out.withMask(Tensor.wrap(keep, x.shape())) : out;
    }

    /** Ids that carry a mask already (none is made here without a padding index) keep it. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }
}
