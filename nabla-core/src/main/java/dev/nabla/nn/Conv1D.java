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
 * optional bias. Weights {@code [filters, channels / groups, kernel]} start like PyTorch's {@code nn.Conv1d}.
 */
public final class Conv1D extends Layer {

    public record Config(int filters, int kernelSize, @Default("linear") Activation activation,
                         @Default("valid") Padding padding, @Default("1") int strides, @Default("1") int dilationRate,
                         @Default("1") int groups, @Default("true") boolean useBias) {
        public Config {
            if (filters < 1 || kernelSize < 1 || strides < 1 || dilationRate < 1) {
                throw new IllegalArgumentException("filters, kernel_size, strides and dilation_rate must be positive");
            }
            if (groups < 1 || filters % groups != 0) {
                throw new IllegalArgumentException("groups must be at least 1 and divide filters (" + filters + "), got " + groups);
            }
        }
    }

    private final Config config;
    private Tensor weight;
    private Tensor bias;
    private ConvSpec spec;

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

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) throw new ShapeException(describe() + ": needs [channels, length] samples, got " + Shape.str(in));
        if (in[0] % config.groups != 0) {
            throw new ShapeException(describe() + ": " + in[0] + " input channels cannot be split into " + config.groups + " groups");
        }
        int[] p = pads(in[1]);
        int effective = (config.kernelSize - 1) * config.dilationRate + 1;
        int size = in[1] + p[0] + p[1];
        if (size < effective) throw new ShapeException(describe() + ": input " + Shape.str(in) + " is shorter than the kernel");
        return new int[]{config.filters, (size - effective) / config.strides + 1};
    }

    @Override
    protected void build(int[] in) {
        int perGroup = in[0] / config.groups;
        int fanIn = perGroup * config.kernelSize;
        int fanOut = config.filters / config.groups * config.kernelSize;
        weight = registerParameter("weight", Initializer.torchDefault().create(
                new int[]{config.filters, perGroup, config.kernelSize}, fanIn, fanOut, random("weight")));
        if (config.useBias) {
            bias = registerParameter("bias", Initializer.torchDefault().create(new int[]{config.filters}, fanIn, fanOut, random("bias")));
        }
        int[] p = pads(in[1]);
        spec = ConvSpec.of1d(config.strides, p[0], p[1], config.dilationRate, config.groups);
    }

    @Override
    protected Tensor call(Tensor x) {
        boolean relu = config.activation == Activation.RELU;
        Tensor out = Conv1d.apply(x, weight, bias, spec, relu);
        return relu ? out : config.activation.apply(out);
    }
}
