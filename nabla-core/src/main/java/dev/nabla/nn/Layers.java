package dev.nabla.nn;

import dev.nabla.config.ConfigException;
import dev.nabla.config.Registration;
import dev.nabla.config.Registration.Role;
import dev.nabla.config.Registry;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every layer type by name: the one list that model files, architecture files ({@code --arch}), the command line's
 * comma spec ({@code dense:128:relu}), summaries and the documentation read. A new layer is one line here, or one
 * {@link #register} call in the user's code:
 *
 * <pre>{@code
 * Layers.register(Layers.layer("scale", Scale.Config.class, Scale::new).summary("multiplies by a constant"));
 * }</pre>
 */
public final class Layers {

    private static final Registry<Layer> REGISTRY = new Registry<>("layer");

    static {
        register(layer("dense", Dense.Config.class, Dense::new).aliases("linear", "fc").role(Role.VECTOR)
                .withPositional("units", "activation").summary("fully connected layer"));
        register(layer("conv", Conv2D.Config.class, Conv2D::new).aliases("conv2d").role(Role.SPATIAL)
                .withPositional("filters", "kernel_size", "activation", "padding")
                .summary("2-D convolution (strides, padding, dilation, groups)"));
        register(layer("conv1d", Conv1D.Config.class, Conv1D::new).withPositional("filters", "kernel_size", "activation", "padding")
                .summary("1-D convolution over [channels, length] samples, or over time with data_format=channels_last"));
        register(layer("maxpool", MaxPool2D.Config.class, MaxPool2D::new).aliases("maxpool2d", "pool").role(Role.SPATIAL)
                .withPositional("pool_size").summary("2-D max pooling, stride = window by default"));
        register(layer("avgpool", AvgPool2D.Config.class, AvgPool2D::new).aliases("avgpool2d").role(Role.SPATIAL)
                .withPositional("pool_size").summary("2-D average pooling"));
        register(layer("globalavgpool", GlobalAveragePool.Config.class, c -> new GlobalAveragePool())
                .aliases("global_avgpool", "gap").role(Role.FLATTENING).summary("mean of each channel"));
        register(layer("globalmaxpool", GlobalMaxPool.Config.class, c -> new GlobalMaxPool())
                .aliases("global_maxpool").role(Role.FLATTENING).summary("maximum of each channel"));
        register(layer("prelu", PReLU.Config.class, PReLU::new).withPositional().summary("ReLU with a learned slope per channel"));
        register(layer("flatten", Flatten.Config.class, c -> new Flatten()).role(Role.FLATTENING).summary("samples to vectors"));
        register(layer("dropout", Dropout.Config.class, Dropout::new).summary("zeroes a fraction of activations in training"));
        register(layer("batchnorm", BatchNorm.Config.class, BatchNorm::new).aliases("bn", "batch_normalization")
                .withPositional().summary("batch normalisation over features or channels"));
        register(layer("layernorm", LayerNorm.Config.class, LayerNorm::new).aliases("ln", "layer_normalization")
                .role(Role.VECTOR).withPositional().summary("normalisation over the last axis"));
        register(layer("embedding", Embedding.Config.class, Embedding::new)
                .summary("learned vector per token id; padding_index masks padding"));
        register(layer("masking", Masking.Config.class, Masking::new).summary("marks steps equal to mask_value as padding"));
        register(layer("globalavgpool1d", GlobalAveragePool1D.Config.class, c -> new GlobalAveragePool1D())
                .aliases("global_avgpool1d").role(Role.FLATTENING).summary("mean over time of [time, features] (mask-aware)"));
        register(layer("globalmaxpool1d", GlobalMaxPool1D.Config.class, c -> new GlobalMaxPool1D())
                .aliases("global_maxpool1d").role(Role.FLATTENING).summary("maximum over time of [time, features] (mask-aware)"));
        register(layer("lstm", LSTM.Config.class, LSTM::new).withPositional("units", "direction", "return_sequences")
                .summary("LSTM over [time, features] (PyTorch's gates and weights); lstm:64:bi is bidirectional, "
                        + "lstm:64:true returns every step"));
        register(layer("gru", GRU.Config.class, GRU::new).withPositional("units", "direction", "return_sequences")
                .summary("GRU over [time, features] (PyTorch's gates and weights); gru:64:bi is bidirectional"));
        register(layer("simplernn", SimpleRNN.Config.class, SimpleRNN::new).aliases("rnn")
                .withPositional("units", "activation", "direction", "return_sequences")
                .summary("fully connected recurrent layer (tanh or relu) over [time, features]"));
        register(layer("add", Add.Config.class, c -> new Add()).summary("sum of the inputs (merge)"));
        register(layer("multiply", Multiply.Config.class, c -> new Multiply()).summary("product of the inputs (merge)"));
        register(layer("concat", Concat.Config.class, Concat::new).aliases("concatenate").summary("inputs joined along an axis (merge)"));
        register(layer("normalization", Normalization.Config.class, Normalization::new)
                .summary("standardises features with saved statistics (preprocessing)"));
        register(layer("rescaling", Rescaling.Config.class, Rescaling::new).summary("x * scale + offset (preprocessing)"));
        register(layer("multiheadattention", MultiHeadAttention.Config.class, MultiHeadAttention::new)
                .aliases("mha", "multi_head_attention", "attention").withPositional("num_heads", "key_dim")
                .summary("multi-head attention over [time, features] (self: 1 input; cross: query, key/value)"));
        register(layer("transformerencoder", TransformerEncoder.Config.class, TransformerEncoder::new)
                .aliases("transformer", "transformer_encoder").withPositional("num_heads", "ff_dim", "activation")
                .summary("transformer encoder block: attention and feed-forward, residuals, layer norms"));
        register(layer("position_embedding", PositionEmbedding.Config.class, PositionEmbedding::new)
                .aliases("positionembedding", "positional_embedding").withPositional("max_length")
                .summary("adds a learned vector per position to [time, features]"));
        register(layer("sinusoidal_position", SinusoidalPosition.Config.class, SinusoidalPosition::new)
                .aliases("sinusoidal", "sinusoidal_position_encoding").withPositional("max_wavelength")
                .summary("adds the fixed sinusoidal position code to [time, features]"));
        for (Activation a : Activation.values()) {
            register(layer(ActivationLayer.typeName(a), ActivationLayer.Config.class, c -> new ActivationLayer(a))
                    .aliases(a == Activation.LEAKY_RELU ? new String[]{"leakyrelu"} : new String[0])
                    .summary("the " + a.id() + " activation on its own"));
        }
    }

    private Layers() {
    }

    /** A registration of a layer type, to refine ({@code .aliases}, {@code .positional}, {@code .summary}) and register. */
    public static <C extends Record> Registration<Layer> layer(String name, Class<C> configType, Function<C, ? extends Layer> constructor) {
        return Registration.of(name, configType, constructor);
    }

    /** Adds a layer type; its name and aliases must be new. */
    public static Registration<Layer> register(Registration<Layer> registration) {
        return REGISTRY.register(registration);
    }

    /** The registry itself (all types, look-ups, command-line tokens). */
    public static Registry<Layer> registry() {
        return REGISTRY;
    }

    /** The registered type name of a layer; an unregistered layer cannot be saved. */
    public static String nameOf(Layer layer) {
        String name = REGISTRY.nameFor(layer.config().getClass());
        if (name == null) {
            throw new ConfigException(layer.getClass().getName() + " is not a registered layer type: register it with "
                    + "Layers.register(Layers.layer(\"name\", " + layer.config().getClass().getSimpleName() + ".class, ...))");
        }
        return name;
    }

    /** A layer from its type and JSON configuration values; {@code ignored} keys are the caller's (name, inputs). */
    public static Layer create(String type, Map<String, ?> config, Set<String> ignored, String where) {
        return REGISTRY.create(type, config, ignored, where);
    }

    /** A layer from a command-line token such as {@code conv:32:3:relu:same} or {@code dense:64:activation=gelu}. */
    public static Layer fromToken(String token, String where) {
        return REGISTRY.fromToken(token, where);
    }
}
