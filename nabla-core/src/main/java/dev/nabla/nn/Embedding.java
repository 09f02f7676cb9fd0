package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * Looks up a learned vector for each token id: {@code [batch, ...]} ids (whole numbers in {@code [0, vocabulary)})
 * become {@code [batch, ..., dimension]}. Vectors start standard normal, like PyTorch's {@code nn.Embedding}.
 */
public final class Embedding extends Layer {

    /** @param inputDim vocabulary size (ids in [0, input_dim)); @param outputDim vector length */
    public record Config(int inputDim, int outputDim) {
        public Config {
            if (inputDim < 1 || outputDim < 1) {
                throw new IllegalArgumentException("input_dim and output_dim must be positive, got " + inputDim + ", " + outputDim);
            }
        }
    }

    private final int vocabulary;
    private final int dimension;
    private Tensor table;

    public Embedding(int vocabulary, int dimension) {
        if (vocabulary < 1 || dimension < 1) {
            throw new IllegalArgumentException("embedding: vocabulary and dimension must be positive, got " + vocabulary + ", " + dimension);
        }
        this.vocabulary = vocabulary;
        this.dimension = dimension;
    }

    public Embedding(Config config) {
        this(config.inputDim(), config.outputDim());
    }

    @Override
    public Config config() {
        return new Config(vocabulary, dimension);
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = dimension;
        return out;
    }

    @Override
    protected void build(int[] in) {
        table = registerParameter("table", Initializer.normal(1f).create(new int[]{vocabulary, dimension}, vocabulary, dimension,
                random("table")));
    }

    @Override
    protected Tensor call(Tensor x) {
        float[] ids = x.toArray();
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
        shape[x.rank()] = dimension;
        return table.indexSelect(0, indices).reshape(shape);
    }


}
