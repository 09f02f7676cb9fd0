package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

/** What max and average pooling share: window size, stride (default: the window size), padding and output shape. */
public abstract class Pooling2D extends Layer {

    /** The settings every pooling layer's configuration record has (Keras' keys {@code pool_size}, {@code strides}, {@code padding}). */
    public interface Settings {
        /** window, N or [h, w] */
        int[] poolSize();

        /** step, N or [h, w]; null: the window size */
        int[] strides();

        /** "valid", "same" or explicit pixels (even on both sides of an axis) */
        Padding padding();
    }

    protected final Settings settings;
    protected final int[] kernel;
    protected final int[] stride;

    protected Pooling2D(Settings settings) {
        this.settings = settings;
        this.kernel = Conv2D.pair(settings.poolSize(), "pool_size");
        this.stride = settings.strides() == null ? kernel.clone() : Conv2D.pair(settings.strides(), "strides");
    }

    /** {@code {h, w}} padding on each side for samples of this height and width; uneven padding is refused. */
    protected int[] padding(int h, int w) {
        int[] p = settings.padding().resolve(new int[]{h, w}, kernel, stride, new int[]{1, 1});
        if (p[0] != p[1] || p[2] != p[3]) {
            throw new ShapeException(describe() + ": uneven padding " + java.util.Arrays.toString(p) + " for inputs of "
                    + h + "x" + w + " is not supported; use explicit padding");
        }
        return new int[]{p[0], p[2]};
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) throw new ShapeException(describe() + ": needs [channels, height, width] samples, got " + Shape.str(in));
        int[] p = padding(in[1], in[2]);
        if (in[1] + 2 * p[0] < kernel[0] || in[2] + 2 * p[1] < kernel[1]) {
            throw new ShapeException(describe() + ": input " + Shape.str(in) + " is smaller than the pool");
        }
        return new int[]{in[0], (in[1] + 2 * p[0] - kernel[0]) / stride[0] + 1, (in[2] + 2 * p[1] - kernel[1]) / stride[1] + 1};
    }
}
