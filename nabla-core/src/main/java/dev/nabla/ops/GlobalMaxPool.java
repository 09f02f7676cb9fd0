package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

/**
 * Global max pooling: the largest value of each channel over the spatial axes, {@code [N, C, H, W] -> [N, C]} and
 * {@code [N, C, L] -> [N, C]} (PyTorch's {@code adaptive_max_pool2d(x, 1)} / {@code adaptive_max_pool1d(x, 1)},
 * flattened; Keras' {@code GlobalMaxPooling2D/1D} on channels-first data). It is {@link Max} over the trailing axes.
 *
 * <p>Ties: the whole gradient goes to the first position (row-major) holding the maximum, as in PyTorch's
 * {@code adaptive_max_pool2d} and {@code max_pool2d} (and Nabla's {@link MaxPool2d}); PyTorch's {@code amax} would
 * split it evenly between the tied positions instead. A NaN in a channel makes that channel's maximum NaN.
 */
public final class GlobalMaxPool {

    private GlobalMaxPool() {
    }

    public static Tensor apply(Tensor x) {
        return switch (x.rank()) {
            case 3 -> Max.apply(x, new int[]{2}, false);
            case 4 -> Max.apply(x, new int[]{2, 3}, false);
            default -> throw new ShapeException("global_max_pool: needs [N, C, L] or [N, C, H, W], got "
                    + Shape.str(x.shape()));
        };
    }
}
