package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.Attention;
import dev.nabla.ops.Linear;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Multi-head scaled dot-product attention (PyTorch's {@code nn.MultiheadAttention}, Keras' {@code MultiHeadAttention}).
 * One input {@code [batch, T, E]} is self-attention; two inputs are a query {@code [batch, Tq, Eq]} and a key/value
 * {@code [batch, Tk, Ek]}; three are query, key and value ({@code [batch, Tk, Ev]}). The output is {@code [batch, Tq, Eq]}.
 *
 * <p>Weights, in Nabla's dense layout {@code [in, out]}: {@code query_weight [Eq, heads*key_dim]},
 * {@code key_weight [Ek, heads*key_dim]}, {@code value_weight [Ev, heads*key_dim]}, {@code output_weight
 * [heads*key_dim, Eq]}, each with a bias unless {@code use_bias=false}. PyTorch's {@code in_proj_weight} is the
 * transposes of the first three stacked, {@code out_proj.weight} the transpose of the last. They start as PyTorch's:
 * Glorot uniform over the stacked projection, PyTorch's linear default for the output, zero biases.
 *
 * <p>Padded keys (the key input's {@link Tensor#mask()}: 0 for padding) and, with {@code causal}, later positions get
 * no weight, so padding changes nothing for the real positions; a query that sees nothing gets 0 (PyTorch: NaN). The
 * output carries the query's mask.
 */
public final class MultiHeadAttention extends Layer implements StepSeeded {

    /**
     * @param numHeads number of heads
     * @param keyDim   size of each head's queries, keys and values; 0 means {@code Eq / num_heads}
     * @param dropout  fraction of attention weights dropped in training
     * @param useBias  whether the four projections have biases
     * @param causal   whether each query sees only keys at its own position or earlier
     */
    public record Config(int numHeads, @Default("0") int keyDim, @Default("0") float dropout,
                         @Default("true") boolean useBias, @Default("false") boolean causal) {
        public Config {
            if (numHeads < 1) throw new IllegalArgumentException("num_heads must be at least 1, got " + numHeads);
            if (keyDim < 0) throw new IllegalArgumentException("key_dim must be positive (or 0 for E / num_heads), got " + keyDim);
            if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    private final Config config;
    private Tensor queryWeight;
    private Tensor queryBias;
    private Tensor keyWeight;
    private Tensor keyBias;
    private Tensor valueWeight;
    private Tensor valueBias;
    private Tensor outputWeight;
    private Tensor outputBias;
    private RandomGenerator rng = new SplittableRandom(0);

    public MultiHeadAttention(int numHeads) {
        this(new Config(numHeads, 0, 0f, true, false));
    }

    public MultiHeadAttention(Config config) {
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
    public int[] outputShape(int[] inputShape) {
        return outputShape(List.of(inputShape));
    }

    @Override
    public int[] outputShape(List<int[]> shapes) {
        if (shapes.isEmpty() || shapes.size() > 3) {
            throw new ShapeException(describe() + ": takes 1 input (self-attention), 2 (query, key/value) or 3 (query, key, value), got " + shapes.size());
        }
        for (int[] s : shapes) {
            if (s.length != 2) throw new ShapeException(describe() + ": needs sequences [batch, time, features], got per-sample shape " + Shape.str(s));
        }
        int[] q = shapes.get(0);
        int[] k = shapes.get(Math.min(1, shapes.size() - 1));
        int[] v = shapes.get(shapes.size() - 1);
        if (k[0] != v[0]) throw new ShapeException(describe() + ": key and value need the same length, got " + Shape.str(k) + " and " + Shape.str(v));
        if (config.keyDim == 0 && q[1] % config.numHeads != 0) {
            throw new ShapeException(describe() + ": query features " + q[1] + " do not split into " + config.numHeads
                    + " heads (set key_dim)");
        }
        return q.clone();
    }

    /** Size of each head. */
    int headDim(int queryFeatures) {
        return config.keyDim > 0 ? config.keyDim : queryFeatures / config.numHeads;
    }

    @Override
    protected void buildFor(List<int[]> shapes) {
        int eq = shapes.get(0)[1];
        int ek = shapes.get(Math.min(1, shapes.size() - 1))[1];
        int ev = shapes.get(shapes.size() - 1)[1];
        int inner = config.numHeads * headDim(eq);
        // PyTorch draws one Glorot uniform over the stacked [3*inner, E] in_proj_weight: fan-in E, fan-out 3*inner
        Initializer glorot = Initializer.glorotUniform();
        queryWeight = registerParameter("query_weight", glorot.create(new int[]{eq, inner}, eq, 3 * inner, random("query_weight")));
        keyWeight = registerParameter("key_weight", glorot.create(new int[]{ek, inner}, ek, 3 * inner, random("key_weight")));
        valueWeight = registerParameter("value_weight", glorot.create(new int[]{ev, inner}, ev, 3 * inner, random("value_weight")));
        outputWeight = registerParameter("output_weight", Initializer.torchDefault().create(new int[]{inner, eq}, inner, eq,
                random("output_weight")));
        if (config.useBias) {
            queryBias = registerParameter("query_bias", Tensor.zeros(inner));
            keyBias = registerParameter("key_bias", Tensor.zeros(inner));
            valueBias = registerParameter("value_bias", Tensor.zeros(inner));
            outputBias = registerParameter("output_bias", Tensor.zeros(eq));
        }
    }

    @Override
    public void seedStep(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    protected Tensor call(Tensor x) {
        return attend(x, x, x, x.mask());
    }

    /** The key input's padding mask hides padded keys (the value input is taken to be padded alike). */
    @Override
    protected Tensor call(List<Tensor> inputs) {
        Tensor key = inputs.get(1);
        return attend(inputs.get(0), key, inputs.get(inputs.size() - 1), key.mask());
    }

    /** One output per query, in the query's place: the query's mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    @Override
    protected Tensor outputMask(List<Tensor> inputs, List<Tensor> inputMasks) {
        return inputMasks.get(0);
    }

    /**
     * The attention of {@code query} over {@code key}/{@code value} with an explicit padding mask of the keys
     * ({@code [batch, Tk]}, 1 real, 0 padding; null for none). The layer must be built for these shapes.
     */
    public Tensor attend(Tensor query, Tensor key, Tensor value, Tensor keyMask) {
        if (!isBuilt()) {
            build(query == key && key == value ? List.of(sample(query)) : List.of(sample(query), sample(key), sample(value)));
        }
        Tensor q = project(query, queryWeight, queryBias);
        Tensor k = project(key, keyWeight, keyBias);
        Tensor v = project(value, valueWeight, valueBias);
        float rate = isTraining() ? config.dropout : 0f;
        Tensor heads = Attention.apply(q, k, v, config.numHeads, keyMask, config.causal, rate, rng);
        return project(heads, outputWeight, outputBias);
    }

    private static int[] sample(Tensor t) {
        return java.util.Arrays.copyOfRange(t.shape(), 1, t.rank());
    }

    /** {@code x @ w + b} over the last axis as one [N*T, in] product (a batched product would cost N small GEMMs). */
    static Tensor project(Tensor x, Tensor weight, Tensor bias) {
        int n = x.shape(0);
        int t = x.shape(1);
        Tensor flat = x.reshape(n * t, x.shape(2));
        return Linear.apply(flat, weight, bias, false).reshape(n, t, weight.shape(1));
    }
}
