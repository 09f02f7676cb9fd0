package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Looks up a learned vector for each token id: {@code [batch, ...]} ids (whole numbers in {@code [0, vocabulary)})
 * become {@code [batch, ..., dimension]}. Vectors start standard normal, like PyTorch's {@code nn.Embedding}.
 */
public final class Embedding extends Layer {

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

    @Override
    public int[] outputShape(int[] in) {
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = dimension;
        return out;
    }

    @Override
    protected void build(int[] in, RandomGenerator rng) {
        table = registerParameter("table", Initializer.normal(1f).create(new int[]{vocabulary, dimension}, vocabulary, dimension, rng));
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

    @Override
    public String type() {
        return "embedding";
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("vocabulary", Integer.toString(vocabulary));
        c.put("dimension", Integer.toString(dimension));
        return c;
    }
}
