package dev.nabla.cli;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.config.Registration.Role;
import dev.nabla.nn.Architecture;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.SequenceOutput;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hidden layers of {@code --arch}: comma-separated tokens, each {@code type[:value...][:key=value...]}, one per
 * layer registered in {@link Layers} (the same names and keys as architecture files). Plain values fill the type's
 * positional keys in order (a value goes to the first free key that accepts it, so {@code conv:32:3:same} and
 * {@code conv:32:3:relu:same} both work); {@code key=value} sets any key:
 *
 * <pre>
 * dense:UNITS[:ACTIVATION]                  fully connected (activation default: linear)
 * conv:FILTERS:KERNEL[:ACTIVATION][:PADDING] 2-D convolution; strides=2, dilation_rate=2, groups=G, use_bias=false
 * maxpool[:SIZE]  avgpool[:SIZE]            pooling, window and stride SIZE (default 2)
 * globalavgpool  flatten  dropout:RATE  batchnorm  layernorm  relu, tanh, ...
 * </pre>
 *
 * The output layer is not part of the spec: {@link #build} appends it from the task.
 */
final class ModelSpec {

    static final String DEFAULT_TABLE = "dense:64:relu,dense:64:relu";
    static final String DEFAULT_IMAGE = "conv:16:3:relu,maxpool:2,conv:32:3:relu,maxpool:2,flatten,dense:64:relu";

    /**
     * The default image network for images of {@code height} x {@code width}: {@link #DEFAULT_IMAGE} from 10 pixels a
     * side; for smaller images its convolutions pad ("same"), so the two poolings fit from 4 pixels, one from 2.
     */
    static String defaultImage(int height, int width) {
        int side = Math.min(height, width);
        if (side >= 10) return DEFAULT_IMAGE;
        if (side >= 4) return "conv:16:3:relu:same,maxpool:2,conv:32:3:relu:same,maxpool:2,flatten,dense:64:relu";
        if (side >= 2) return "conv:16:3:relu:same,maxpool:2,flatten,dense:64:relu";
        return "flatten,dense:64:relu";
    }

    /** One layer of the spec: its text (for messages), what samples it takes, and a factory of fresh layers. */
    record Token(String text, Role kind, java.util.function.Supplier<Layer> factory) {
    }

    private final String text;
    private final String flag;
    private final List<Token> tokens;

    private ModelSpec(String text, String flag, List<Token> tokens) {
        this.text = text;
        this.flag = flag;
        this.tokens = tokens;
    }

    String text() {
        return text;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** Parses a spec; errors name the flag and the bad token. An empty spec means no hidden layers. */
    static ModelSpec parse(String spec, String flag) {
        List<Token> tokens = new ArrayList<>();
        String trimmed = spec.trim();
        if (!trimmed.isEmpty()) {
            for (String raw : trimmed.split(",", -1)) tokens.add(token(raw.trim(), flag));
        }
        return new ModelSpec(trimmed, flag, List.copyOf(tokens));
    }

    private static Token token(String t, String flag) {
        if (t.isEmpty()) throw bad(flag, t, "empty layer (two commas in a row, or a trailing comma?)");
        try {
            var parsed = Layers.registry().parseToken(t, "");
            Registration<Layer> r = parsed.getKey();
            Record config = ConfigCodec.decode(r.configType(), parsed.getValue(), java.util.Set.of(), "");
            r.create(config);
            return new Token(t, r.role(), () -> r.create(config));
        } catch (IllegalArgumentException e) {
            String why = e.getMessage().replaceFirst("^[: ]+", "");
            throw bad(flag, t, why + (Layers.registry().find(t.split(":", -1)[0]) != null
                    ? " (expected " + Layers.registry().find(t.split(":", -1)[0]).tokenForm() + ")" : ""));
        }
    }

    /** The form of every registered layer, for help texts. */
    static String known() {
        StringBuilder sb = new StringBuilder();
        for (Registration<Layer> r : Layers.registry().all()) sb.append(sb.length() == 0 ? "" : ", ").append(r.tokenForm());
        return sb.toString();
    }

    /** Whether the spec needs image input: it has a convolution or pooling layer. */
    boolean needsImages() {
        return tokens.stream().anyMatch(tk -> tk.kind() == Role.SPATIAL);
    }

    /**
     * The network for samples of {@code sampleShape}: the spec's layers (with a flatten inserted where image samples
     * reach the first dense layer or the output), then the output layer of {@code outputs} units, built for that
     * shape. Shape problems become usage errors naming the flag and the layer.
     *
     * @param inputDescription what the data is, for messages (e.g. "data.csv (a table of 4 features)")
     */
    Sequential build(int[] sampleShape, int outputs, long seed, String inputDescription) {
        Sequential network = new Sequential().seed(seed);
        int[] shape = hidden(network, sampleShape, inputDescription);
        if (shape.length != 1) shape = add(network, new Flatten(), shape, "flatten (added before the output layer)");
        add(network, new Dense(outputs), shape, "the output layer dense:" + outputs);
        network.build(sampleShape);
        return network;
    }

    /**
     * The spec in the form of an architecture file ({@code {"layers": [...]}}, see {@code Architecture.fromSpec}) for
     * samples of {@code sampleShape}: the hidden layers with every key, and the flatten layers {@link #build} inserts
     * before dense layers, so that the file trains the same network again. The output layer is not part of it.
     */
    Map<String, Object> architecture(int[] sampleShape, String inputDescription) {
        Sequential hidden = new Sequential();
        hidden(hidden, sampleShape, inputDescription);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", hidden.layers().isEmpty() ? List.of() : Architecture.toJson(hidden).get("layers"));
        return out;
    }

    /** Adds the spec's layers (and inserted flattens) to {@code network}; returns their per-sample output shape. */
    private int[] hidden(Sequential network, int[] sampleShape, String inputDescription) {
        boolean image = sampleShape.length == 3;
        if (!image && needsImages()) {
            Token first = tokens.stream().filter(tk -> tk.kind() == Role.SPATIAL).findFirst().orElseThrow();
            throw new UsageException(flag + ": layer '" + first.text() + "' needs image input ([channels, height, width]),"
                    + " but " + inputDescription + " gives samples of shape " + Shape.str(sampleShape)
                    + "; use dense layers for tables, e.g. " + flag + " " + DEFAULT_TABLE);
        }
        boolean spatial = image;
        int[] shape = sampleShape.clone();
        for (int i = 0; i < tokens.size(); i++) {
            Token tk = tokens.get(i);
            if (tk.kind() == Role.SPATIAL && !spatial) {
                throw new UsageException(flag + ": layer '" + tk.text() + "' needs image-shaped input, but it comes after "
                        + "the samples were flattened (put conv and pooling layers before flatten and dense)");
            }
            if (tk.kind() == Role.VECTOR && spatial) {
                shape = add(network, new Flatten(), shape, "flatten (added before '" + tk.text() + "')");
                spatial = false;
            }
            Layer layer = tk.factory().get();
            if (layer instanceof SequenceOutput r && i + 1 < tokens.size() && nextReadsSequences(layer, r, tk, tokens.get(i + 1), shape)) {
                layer = r.returningSequences();
            }
            shape = add(network, layer, shape, tk.text());
            if (tk.kind() == Role.FLATTENING) spatial = false;
        }
        return shape;
    }

    /**
     * Whether a recurrent layer should give its whole sequence because the next layer reads sequences and cannot take
     * a last state (pooling over time, another recurrent layer, attention): {@code lstm:64:bi,globalmaxpool1d} and
     * {@code lstm:64,lstm:32} mean what a Keras user means by them. A {@code return_sequences} the token gives is kept.
     */
    private boolean nextReadsSequences(Layer layer, SequenceOutput sequences, Token tk, Token next, int[] shape) {
        if (sequences.returnSequences() || Layers.registry().parseToken(tk.text(), flag).getValue().containsKey("return_sequences")) {
            return false;
        }
        int[] last;
        try {
            last = layer.outputShape(shape);
        } catch (IllegalArgumentException unfit) {
            return false; // add() explains
        }
        Layer following = next.factory().get();
        try {
            following.outputShape(last);
            return false;
        } catch (IllegalArgumentException needsMore) {
            try {
                following.outputShape(new int[]{shape[0], last[0]});
                return true;
            } catch (IllegalArgumentException neither) {
                return false;
            }
        }
    }

    private int[] add(Sequential network, Layer layer, int[] shape, String what) {
        try {
            int[] out = layer.outputShape(shape);
            if (Shape.size(out) == 0) throw new ShapeException("gives empty output " + Shape.str(out));
            network.add(layer);
            return out;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": layer '" + what + "' cannot take samples of shape " + Shape.str(shape)
                    + ": " + e.getMessage(), e);
        }
    }

    private static UsageException bad(String flag, String token, String why) {
        return new UsageException(flag + ": bad layer '" + token + "': " + why);
    }
}
