package dev.nabla.nn;

import dev.nabla.ops.Conv2d;
import dev.nabla.ops.Conv2dReluMaxPool;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution over {@code [channels, height, width]} samples with {@code filters} output channels. Padding is
 * {@code "valid"} (none), {@code "same"} (output keeps the size at stride 1; odd kernels) or a number of pixels.
 * Weights start like PyTorch's {@code nn.Conv2d}.
 */
public final class Conv2D extends Layer {

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Activation activation;
    private Tensor weight;
    private Tensor bias;

    public Conv2D(int filters, int kernel) {
        this(filters, kernel, 1, 0, Activation.LINEAR);
    }

    public Conv2D(int filters, int kernel, Activation activation) {
        this(filters, kernel, 1, 0, activation);
    }

    /** @param padding pixels of zero padding on each side; see {@link #same(int)} */
    public Conv2D(int filters, int kernel, int stride, int padding, Activation activation) {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: filters, kernel and stride must be positive and padding >= 0, got "
                    + filters + ", " + kernel + ", " + stride + ", " + padding);
        }
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.activation = activation;
    }

    /** The padding that keeps height and width at stride 1 ("same"), for an odd kernel size. */
    public static int same(int kernel) {
        if (kernel % 2 == 0) throw new IllegalArgumentException("conv2d: 'same' padding needs an odd kernel, got " + kernel);
        return kernel / 2;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new ShapeException(describe() + ": needs [channels, height, width] samples, got " + Shape.str(in)
                    + " (add a reshape, or use images)");
        }
        int h = (in[1] + 2 * padding - kernel) / stride + 1;
        int w = (in[2] + 2 * padding - kernel) / stride + 1;
        if (in[1] + 2 * padding < kernel || in[2] + 2 * padding < kernel) {
            throw new ShapeException(describe() + ": input " + Shape.str(in) + " is smaller than the " + kernel + "x"
                    + kernel + " kernel");
        }
        return new int[]{filters, h, w};
    }

    @Override
    protected void build(int[] in, RandomGenerator rng) {
        int fanIn = in[0] * kernel * kernel;
        int fanOut = filters * kernel * kernel;
        weight = registerParameter("weight", Initializer.torchDefault().create(
                new int[]{filters, in[0], kernel, kernel}, fanIn, fanOut, rng));
        bias = registerParameter("bias", Initializer.torchDefault().create(new int[]{filters}, fanIn, fanOut, rng));
    }

    @Override
    protected Tensor call(Tensor x) {
        // ReLU fuses into the convolution's own output; any other activation follows as its own op
        int[] strides = {stride, stride};
        int[] paddings = {padding, padding};
        int[] dilation = {1, 1};
        if (activation == Activation.RELU) return Conv2d.apply(x, weight, bias, strides, paddings, dilation, true);
        return activation.apply(Conv2d.apply(x, weight, bias, strides, paddings, dilation, false));
    }

    /**
     * This layer and then {@code pool} as one fused op ({@link Conv2dReluMaxPool}), for a ReLU convolution directly
     * followed by max pooling; null where that op cannot run, and the caller then runs the two layers.
     */
    Tensor forwardWithMaxPool(Tensor x, MaxPool2D pool) {
        if (activation != Activation.RELU) return null;
        checkInput(x.shape());
        int[] convOut = new int[x.rank()];
        convOut[0] = x.shape(0);
        System.arraycopy(outputShape(Arrays.copyOfRange(x.shape(), 1, x.rank())), 0, convOut, 1, x.rank() - 1);
        pool.checkInput(convOut);
        return Conv2dReluMaxPool.apply(x, weight, bias, new int[]{stride, stride}, new int[]{padding, padding},
                new int[]{pool.pool, pool.pool}, new int[]{pool.stride, pool.stride});
    }

    @Override
    public String type() {
        return "conv2d";
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("filters", Integer.toString(filters));
        c.put("kernel", Integer.toString(kernel));
        c.put("stride", Integer.toString(stride));
        c.put("padding", Integer.toString(padding));
        c.put("activation", activation.id());
        return c;
    }
}
