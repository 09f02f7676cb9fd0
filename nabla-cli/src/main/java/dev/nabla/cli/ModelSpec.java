package dev.nabla.cli;

import dev.nabla.nn.Activation;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.AvgPool2D;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GlobalAveragePool;
import dev.nabla.nn.Layer;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.MaxPool2D;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hidden layers of {@code --model}: comma-separated tokens, each {@code type[:arg[:arg...]]}.
 *
 * <pre>
 * dense:UNITS[:ACTIVATION]                  fully connected (activation default: linear)
 * conv:FILTERS:KERNEL[:ACTIVATION][:same]   2-D convolution, stride 1, no padding ("same": keep the size)
 * maxpool[:SIZE]  avgpool[:SIZE]            pooling, window and stride SIZE (default 2)
 * globalavgpool                             mean of each channel
 * flatten                                   samples to vectors
 * dropout:RATE                              dropout with probability RATE in [0, 1)
 * batchnorm  layernorm                      normalisation
 * relu, tanh, sigmoid, gelu, elu, leaky_relu   an activation on its own
 * </pre>
 *
 * The output layer is not part of the spec: {@link #build} appends it from the task.
 */
final class ModelSpec {

    static final String DEFAULT_TABLE = "dense:64:relu,dense:64:relu";
    static final String DEFAULT_IMAGE = "conv:16:3:relu,maxpool:2,conv:32:3:relu,maxpool:2,flatten,dense:64:relu";

    private static final String KNOWN = "dense:UNITS[:ACT], conv:FILTERS:KERNEL[:ACT][:same], maxpool[:SIZE], "
            + "avgpool[:SIZE], globalavgpool, flatten, dropout:RATE, batchnorm, layernorm, or an activation "
            + "(relu, tanh, sigmoid, gelu, elu, leaky_relu)";

    /** One layer of the spec: its text (for messages) and a factory of fresh layers. */
    record Token(String text, Kind kind, java.util.function.Supplier<Layer> factory) {
    }

    enum Kind {
        /** needs [C, H, W] samples */ SPATIAL,
        /** turns [C, H, W] samples into vectors */ FLATTENING,
        /** needs vectors (dense) */ VECTOR,
        /** works on any shape */ ANY
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
        String[] p = t.split(":", -1);
        String type = p[0].trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (type) {
            case "dense", "linear", "fc" -> {
                args(flag, t, p, 1, 2, "dense:UNITS[:ACTIVATION], e.g. dense:128:relu");
                int units = positiveInt(flag, t, p[1], "units");
                Activation act = p.length > 2 ? activation(flag, t, p[2]) : Activation.LINEAR;
                return new Token(t, Kind.VECTOR, () -> new Dense(units, act));
            }
            case "conv", "conv2d" -> {
                args(flag, t, p, 2, 4, "conv:FILTERS:KERNEL[:ACTIVATION][:same], e.g. conv:32:3:relu");
                int filters = positiveInt(flag, t, p[1], "filters");
                int kernel = positiveInt(flag, t, p[2], "kernel size");
                Activation act = Activation.LINEAR;
                boolean same = false;
                boolean haveActivation = false;
                for (int i = 3; i < p.length; i++) {
                    String a = p[i].trim().toLowerCase(Locale.ROOT);
                    if (a.equals("same") && !same) {
                        if (kernel % 2 == 0) throw bad(flag, t, "'same' padding needs an odd kernel size, got " + kernel);
                        same = true;
                    } else if (a.equals("valid") && !same) {
                        // the default
                    } else if (!haveActivation) {
                        act = activation(flag, t, p[i]);
                        haveActivation = true;
                    } else {
                        throw bad(flag, t, "unexpected '" + p[i] + "' (conv:FILTERS:KERNEL[:ACTIVATION][:same])");
                    }
                }
                int padding = same ? kernel / 2 : 0;
                Activation a = act;
                return new Token(t, Kind.SPATIAL, () -> new Conv2D(filters, kernel, 1, padding, a));
            }
            case "maxpool", "maxpool2d", "pool" -> {
                args(flag, t, p, 0, 1, "maxpool[:SIZE], e.g. maxpool:2");
                int size = p.length > 1 ? positiveInt(flag, t, p[1], "pool size") : 2;
                return new Token(t, Kind.SPATIAL, () -> new MaxPool2D(size));
            }
            case "avgpool", "avgpool2d" -> {
                args(flag, t, p, 0, 1, "avgpool[:SIZE], e.g. avgpool:2");
                int size = p.length > 1 ? positiveInt(flag, t, p[1], "pool size") : 2;
                return new Token(t, Kind.SPATIAL, () -> new AvgPool2D(size));
            }
            case "globalavgpool", "global_avgpool", "gap" -> {
                args(flag, t, p, 0, 0, "globalavgpool");
                return new Token(t, Kind.FLATTENING, GlobalAveragePool::new);
            }
            case "flatten" -> {
                args(flag, t, p, 0, 0, "flatten");
                return new Token(t, Kind.FLATTENING, Flatten::new);
            }
            case "dropout" -> {
                args(flag, t, p, 1, 1, "dropout:RATE, e.g. dropout:0.2");
                float rate = number(flag, t, p[1], "rate");
                if (!(rate >= 0 && rate < 1)) throw bad(flag, t, "the dropout rate must be in [0, 1), got " + p[1]);
                return new Token(t, Kind.ANY, () -> new Dropout(rate));
            }
            case "batchnorm", "bn" -> {
                args(flag, t, p, 0, 0, "batchnorm");
                return new Token(t, Kind.ANY, BatchNorm::new);
            }
            case "layernorm", "ln" -> {
                args(flag, t, p, 0, 0, "layernorm");
                return new Token(t, Kind.VECTOR, LayerNorm::new);
            }
            default -> {
                Activation act;
                try {
                    act = Activation.of(type);
                } catch (IllegalArgumentException e) {
                    throw bad(flag, t, "unknown layer type '" + p[0] + "' (known: " + KNOWN + ")");
                }
                args(flag, t, p, 0, 0, act.id());
                return new Token(t, Kind.ANY, () -> new ActivationLayer(act));
            }
        }
    }

    /** Whether the spec needs image input: it has a convolution or pooling layer. */
    boolean needsImages() {
        return tokens.stream().anyMatch(tk -> tk.kind() == Kind.SPATIAL);
    }

    /**
     * The network for samples of {@code sampleShape}: the spec's layers (with a flatten inserted where image samples
     * reach the first dense layer or the output), then the output layer of {@code outputs} units, built for that
     * shape. Shape problems become usage errors naming the flag and the layer.
     *
     * @param inputDescription what the data is, for messages (e.g. "data.csv (a table of 4 features)")
     */
    Sequential build(int[] sampleShape, int outputs, long seed, String inputDescription) {
        boolean image = sampleShape.length == 3;
        if (!image && needsImages()) {
            Token first = tokens.stream().filter(tk -> tk.kind() == Kind.SPATIAL).findFirst().orElseThrow();
            throw new UsageException(flag + ": layer '" + first.text() + "' needs image input ([channels, height, width]),"
                    + " but " + inputDescription + " gives samples of shape " + Shape.str(sampleShape)
                    + "; use dense layers for tables, e.g. " + flag + " " + DEFAULT_TABLE);
        }
        Sequential network = new Sequential().seed(seed);
        boolean spatial = image;
        int[] shape = sampleShape.clone();
        for (Token tk : tokens) {
            if (tk.kind() == Kind.SPATIAL && !spatial) {
                throw new UsageException(flag + ": layer '" + tk.text() + "' needs image-shaped input, but it comes after "
                        + "the samples were flattened (put conv and pooling layers before flatten and dense)");
            }
            if (tk.kind() == Kind.VECTOR && spatial) {
                shape = add(network, new Flatten(), shape, "flatten (added before '" + tk.text() + "')");
                spatial = false;
            }
            shape = add(network, tk.factory().get(), shape, tk.text());
            if (tk.kind() == Kind.FLATTENING) spatial = false;
        }
        if (spatial) shape = add(network, new Flatten(), shape, "flatten (added before the output layer)");
        add(network, new Dense(outputs), shape, "the output layer dense:" + outputs);
        network.build(sampleShape);
        return network;
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

    private static void args(String flag, String t, String[] p, int min, int max, String form) {
        int n = p.length - 1;
        if (n < min || n > max) throw bad(flag, t, "expected " + form);
    }

    private static int positiveInt(String flag, String t, String s, String what) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(flag, t, "the " + what + " must be a positive whole number, got '" + s + "'");
    }

    private static float number(String flag, String t, String s, String what) {
        try {
            return Float.parseFloat(s.trim());
        } catch (NumberFormatException e) {
            throw bad(flag, t, "the " + what + " must be a number, got '" + s + "'");
        }
    }

    private static Activation activation(String flag, String t, String s) {
        try {
            return Activation.of(s);
        } catch (IllegalArgumentException e) {
            throw bad(flag, t, e.getMessage());
        }
    }

    private static UsageException bad(String flag, String token, String why) {
        return new UsageException(flag + ": bad layer '" + token + "': " + why);
    }
}
