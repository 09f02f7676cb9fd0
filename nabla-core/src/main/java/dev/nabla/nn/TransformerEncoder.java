package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * One transformer encoder block on sequences {@code [batch, T, E]}, the same computation as PyTorch's
 * {@code nn.TransformerEncoderLayer(E, num_heads, ff_dim, dropout, activation, eps, batch_first=True, norm_first)}:
 *
 * <pre>
 * post-norm (default): x = norm1(x + drop(attention(x)));  x = norm2(x + drop(ff(x)))
 * pre-norm:            x = x + drop(attention(norm1(x)));  x = x + drop(ff(norm2(x)))
 * ff(x) = dense2(drop(activation(dense1(x))))
 * </pre>
 *
 * <p>Children (so weights have paths such as {@code attention.query_weight}, {@code dense1.weight}, {@code norm2.beta}):
 * a {@link MultiHeadAttention} (with the same dropout on its weights), two {@link Dense} layers
 * ({@code E -> ff_dim -> E}) and two {@link LayerNorm}s. Padded steps (the input's {@link Tensor#mask()}) get no
 * attention, like {@code src_key_padding_mask}, so they change nothing for the real ones; the mask passes on.
 */
public final class TransformerEncoder extends Layer {

    /**
     * @param numHeads   attention heads (must divide E)
     * @param ffDim      width of the feed-forward layer
     * @param dropout    dropout rate after attention, inside and after the feed-forward part, and on attention weights
     * @param activation of the feed-forward layer: relu or gelu (the erf form, as PyTorch's)
     * @param normFirst  pre-norm instead of post-norm
     * @param epsilon    of both layer norms
     */
    public record Config(int numHeads, int ffDim, @Default("0") float dropout, @Default("relu") Activation activation,
                         @Default("false") boolean normFirst, @Default("1e-5") float epsilon) {
        public Config {
            if (numHeads < 1) throw new IllegalArgumentException("num_heads must be at least 1, got " + numHeads);
            if (ffDim < 1) throw new IllegalArgumentException("ff_dim must be at least 1, got " + ffDim);
            if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            if (activation != Activation.RELU && activation != Activation.GELU) {
                throw new IllegalArgumentException("activation must be relu or gelu, got " + activation.id());
            }
        }
    }

    private final Config config;
    private MultiHeadAttention attention;
    private Dense dense1;
    private Dense dense2;
    private LayerNorm norm1;
    private LayerNorm norm2;
    private Dropout dropAttention;
    private Dropout dropInner;
    private Dropout dropOutput;

    public TransformerEncoder(int numHeads, int ffDim) {
        this(new Config(numHeads, ffDim, 0f, Activation.RELU, false, 1e-5f));
    }

    public TransformerEncoder(Config config) {
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
        if (in[1] % config.numHeads != 0) {
            throw new ShapeException(describe() + ": features " + in[1] + " do not split into " + config.numHeads + " heads");
        }
        return in.clone();
    }

    @Override
    protected void build(int[] in) {
        int e = in[1];
        // the children need E, so they are made here; they take this block's mode, which may be set already
        attention = register("attention", new MultiHeadAttention(new MultiHeadAttention.Config(config.numHeads, 0,
                config.dropout, true, false)));
        dense1 = register("dense1", new Dense(config.ffDim, config.activation));
        dense2 = register("dense2", new Dense(e));
        norm1 = register("norm1", new LayerNorm(config.epsilon));
        norm2 = register("norm2", new LayerNorm(config.epsilon));
        dropAttention = register("dropout1", new Dropout(config.dropout));
        dropInner = register("dropout", new Dropout(config.dropout));
        dropOutput = register("dropout2", new Dropout(config.dropout));
        train(isTraining());
        attention.build(List.of(in));
        norm1.ensureBuilt(e);
        dense1.ensureBuilt(e);
        dense2.ensureBuilt(config.ffDim);
        norm2.ensureBuilt(e);
        dropAttention.ensureBuilt(e);
        dropInner.ensureBuilt(config.ffDim);
        dropOutput.ensureBuilt(e);
    }

    @Override
    protected Tensor call(Tensor x) {
        return encode(x, x.mask());
    }

    /** Each position stays in its place: the input's mask passes on. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /** The block on {@code x} with an explicit padding mask {@code [batch, T]} (1 real, 0 padding; null for none). */
    public Tensor encode(Tensor x, Tensor keyMask) {
        int n = x.shape(0);
        int t = x.shape(1);
        int e = x.shape(2);
        // the per-position parts run on [N*T, E] rows: one GEMM per dense layer, forward and backward
        Tensor rows = x.reshape(n * t, e);
        if (config.normFirst) {
            Tensor a = norm1.forward(rows).reshape(n, t, e);
            rows = rows.add(dropAttention.forward(attention.attend(a, a, a, keyMask).reshape(n * t, e)));
            return rows.add(feedForward(norm2.forward(rows))).reshape(n, t, e);
        }
        rows = norm1.forward(rows.add(dropAttention.forward(attention.attend(x, x, x, keyMask).reshape(n * t, e))));
        return norm2.forward(rows.add(feedForward(rows))).reshape(n, t, e);
    }

    private Tensor feedForward(Tensor rows) {
        return dropOutput.forward(dense2.forward(dropInner.forward(dense1.forward(rows))));
    }
}
