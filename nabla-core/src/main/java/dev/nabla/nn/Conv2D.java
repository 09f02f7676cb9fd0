package dev.nabla.nn;

import dev.nabla.config.Default;
import dev.nabla.ops.Conv2d;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * 2-D convolution over {@code [channels, height, width]} samples with {@code filters} output channels, Keras'
 * {@code Conv2D}: rectangular kernels ({@code kernel_size} N or [h, w]), strides, {@link Padding} ("valid", "same",
 * explicit), dilation, groups ({@code groups == channels} is a depthwise convolution) and an optional bias. Weights
 * {@code [filters, channels / groups, kh, kw]} start like PyTorch's {@code nn.Conv2d}.
 */
public final class Conv2D extends Layer {

    public record Config(int filters, int[] kernelSize, @Default("linear") Activation activation,
                         @Default("valid") Padding padding, @Default("1") int[] strides, @Default("1") int[] dilationRate,
                         @Default("1") int groups, @Default("true") boolean useBias) {
        public Config {
            if (filters < 1) throw new IllegalArgumentException("filters must be at least 1, got " + filters);
            kernelSize = Conv2D.pair(kernelSize, "kernel_size");
            strides = Conv2D.pair(strides, "strides");
            dilationRate = Conv2D.pair(dilationRate, "dilation_rate");
            if (groups < 1 || filters % groups != 0) {
                throw new IllegalArgumentException("groups must be at least 1 and divide filters (" + filters + "), got " + groups);
            }
        }
    }

    private final Config config;
    private Tensor weight;
    private Tensor bias;
    private int[] pads;
    private dev.nabla.ops.ConvSpec spec;

    public Conv2D(int filters, int kernel) {
        this(filters, kernel, 1, 0, Activation.LINEAR);
    }

    public Conv2D(int filters, int kernel, Activation activation) {
        this(filters, kernel, 1, 0, activation);
    }

    /** @param padding pixels of zero padding on each side; see {@link #same(int)} */
    public Conv2D(int filters, int kernel, int stride, int padding, Activation activation) {
        this(new Config(filters, new int[]{kernel}, activation, Padding.of(padding), new int[]{stride}, new int[]{1}, 1, true));
    }

    /** A square-kernel convolution at stride 1, e.g. {@code new Conv2D(32, 3, Activation.RELU, Padding.SAME, false)}. */
    public Conv2D(int filters, int kernel, Activation activation, Padding padding, boolean useBias) {
        this(new Config(filters, new int[]{kernel}, activation, padding, new int[]{1}, new int[]{1}, 1, useBias));
    }

    public Conv2D(Config config) {
        this.config = config;
    }

    /** The padding that keeps height and width at stride 1 ("same"), for an odd kernel size. */
    public static int same(int kernel) {
        if (kernel % 2 == 0) throw new IllegalArgumentException("conv2d: 'same' padding needs an odd kernel, got " + kernel);
        return kernel / 2;
    }

    static int[] pair(int[] v, String key) {
        int[] out = v.length == 1 ? new int[]{v[0], v[0]} : v.clone();
        if (out.length != 2) throw new IllegalArgumentException(key + " takes one number or two, got " + v.length);
        for (int x : out) if (x < 1) throw new IllegalArgumentException(key + " must be positive, got " + x);
        return out;
    }

    @Override
    public Config config() {
        return config;
    }

    /** {@code {top, bottom, left, right}} for samples of this height and width. */
    int[] pads(int h, int w) {
        return config.padding.resolve(new int[]{h, w}, config.kernelSize, config.strides, config.dilationRate);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new ShapeException(describe() + ": needs [channels, height, width] samples, got " + Shape.str(in)
                    + " (add a reshape, or use images)");
        }
        if (in[0] % config.groups != 0) {
            throw new ShapeException(describe() + ": " + in[0] + " input channels cannot be split into " + config.groups + " groups");
        }
        int[] p = pads(in[1], in[2]);
        int[] size = {in[1] + p[0] + p[1], in[2] + p[2] + p[3]};
        int[] out = new int[]{config.filters, 0, 0};
        for (int a = 0; a < 2; a++) {
            int effective = (config.kernelSize[a] - 1) * config.dilationRate[a] + 1;
            if (size[a] < effective) {
                throw new ShapeException(describe() + ": input " + Shape.str(in) + " is smaller than the "
                        + config.kernelSize[0] + "x" + config.kernelSize[1] + " kernel");
            }
            out[a + 1] = (size[a] - effective) / config.strides[a] + 1;
        }
        return out;
    }

    @Override
    protected void build(int[] in) {
        int perGroup = in[0] / config.groups;
        int kh = config.kernelSize[0];
        int kw = config.kernelSize[1];
        int fanIn = perGroup * kh * kw;
        int fanOut = config.filters / config.groups * kh * kw;
        weight = registerParameter("weight", Initializer.torchDefault().create(
                new int[]{config.filters, perGroup, kh, kw}, fanIn, fanOut, random("weight")));
        if (config.useBias) {
            bias = registerParameter("bias", Initializer.torchDefault().create(new int[]{config.filters}, fanIn, fanOut, random("bias")));
        }
        pads = pads(in[1], in[2]);
        spec = ConvOps.spec(config.strides, pads, config.dilationRate, config.groups);
    }

    @Override
    protected Tensor call(Tensor x) {
        // ReLU fuses into the convolution's own output; any other activation follows as its own op
        boolean relu = config.activation == Activation.RELU;
        Tensor out = ConvOps.conv2d(x, weight, bias, spec, relu);
        return relu ? out : config.activation.apply(out);
    }

    /** Whether this layer is a ReLU convolution, which the fused convolution-pooling op can take. */
    boolean fusableWithPooling() {
        return config.activation == Activation.RELU && spec != null;
    }

    /** How the built layer slides its kernel. */
    dev.nabla.ops.ConvSpec spec() {
        return spec;
    }

    Tensor weight() {
        return weight;
    }

    Tensor bias() {
        return bias;
    }

}
