package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.Conv1d;
import dev.nabla.ops.ConvSpec;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * 1-D convolution over {@code [channels, length]} samples (sequences, signals), Keras' {@code Conv1D} on
 * channels-first data: kernel size, stride, {@link Padding} ("valid", "same", N or [left, right]), dilation, groups,
 * optional bias. Weights {@code [filters, channels / groups, kernel]} start like PyTorch's {@code nn.Conv1d}. With
 * {@code data_format=channels_last} it convolves over the time axis of {@code [time, features]} sequences (what an
 * {@link Embedding} gives), Keras' default layout.
 */
public final class Conv1D extends Layer {

    public record Config(int filters, int kernelSize, @Default("linear") Activation activation,
                         @Default("valid") Padding padding, @Default("1") int strides, @Default("1") int dilationRate,
                         @Default("1") int groups, @Default("true") boolean useBias,
                         @Default("channels_first") DataFormat dataFormat) {
        public Config {
            if (filters < 1 || kernelSize < 1 || strides < 1 || dilationRate < 1) {
                throw new IllegalArgumentException("filters, kernel_size, strides and dilation_rate must be positive");
            }
            if (groups < 1 || filters % groups != 0) {
                throw new IllegalArgumentException("groups must be at least 1 and divide filters (" + filters + "), got " + groups);
            }
        }
    }

    /** Where the channels are: {@code [channels, length]} samples, or {@code [time, features]} sequences. */
    public enum DataFormat { CHANNELS_FIRST, CHANNELS_LAST }

    private final Config config;
    private Tensor weight;
    private Tensor bias;
    private ConvSpec spec;
    /** The length {@link #spec}'s padding was worked out for ("same" pads depend on it). */
    private int specLength;

    public Conv1D(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    private int[] pads(int length) {
        return config.padding.resolve(new int[]{length}, new int[]{config.kernelSize}, new int[]{config.strides},
                new int[]{config.dilationRate});
    }

    private boolean channelsLast() {
        return config.dataFormat == DataFormat.CHANNELS_LAST;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) {
            throw new ShapeException(describe() + ": needs " + (channelsLast() ? "[time, features]" : "[channels, length]")
                    + " samples, got " + Shape.str(in));
        }
        if (!channelsLast()) return channelsFirstShape(in);
        int[] out = channelsFirstShape(new int[]{in[1], in[0]});
        return new int[]{out[1], out[0]};
    }

    private int[] channelsFirstShape(int[] in) {
        if (in[0] % config.groups != 0) {
            throw new ShapeException(describe() + ": " + in[0] + " input channels cannot be split into " + config.groups + " groups");
        }
        int[] p = pads(in[1]);
        int effective = (config.kernelSize - 1) * config.dilationRate + 1;
        int size = in[1] + p[0] + p[1];
        if (size < effective) throw new ShapeException(describe() + ": input " + Shape.str(in) + " is shorter than the kernel");
        return new int[]{config.filters, (size - effective) / config.strides + 1};
    }

    private ConvSpec specFor(int length) {
        int[] p = pads(length);
        return ConvSpec.of1d(config.strides, p[0], p[1], config.dilationRate, config.groups);
    }

    @Override
    protected void build(int[] sample) {
        int[] in = channelsLast() ? new int[]{sample[1], sample[0]} : sample;
        int perGroup = in[0] / config.groups;
        int fanIn = perGroup * config.kernelSize;
        int fanOut = config.filters / config.groups * config.kernelSize;
        weight = registerParameter("weight", Initializer.torchDefault().create(
                new int[]{config.filters, perGroup, config.kernelSize}, fanIn, fanOut, random("weight")));
        if (config.useBias) {
            bias = registerParameter("bias", Initializer.torchDefault().create(new int[]{config.filters}, fanIn, fanOut, random("bias")));
        }
        spec = specFor(in[1]);
        specLength = in[1];
    }

    /** Sequences may change length: only the channels (features, for channels_last) must stay. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        int channels = channelsLast() ? 1 : 0;
        return now.length == 2 && now[channels] == built[channels] && outputFits(now);
    }

    private boolean outputFits(int[] now) {
        try {
            outputShape(now);
            return true;
        } catch (ShapeException tooShort) {
            return false;
        }
    }

    @Override
    protected Tensor call(Tensor x) {
        boolean relu = config.activation == Activation.RELU;
        Tensor in = channelsLast() ? x.transpose(1, 2) : x;
        int length = in.shape(2);
        Tensor out = Conv1d.apply(in, weight, bias, length == specLength ? spec : specFor(length), relu);
        out = relu ? out : config.activation.apply(out);
        return channelsLast() ? out.transpose(1, 2) : out;
    }
}
