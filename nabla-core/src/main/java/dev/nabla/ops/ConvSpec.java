package dev.nabla.ops;

import dev.nabla.kernel.ConvGeometry;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;

/**
 * How a 2-D convolution slides its kernel: stride and dilation per axis, padding per side, and groups; the kernel
 * size comes from the weight. {@link Conv2d} and {@link Conv1d} take one.
 *
 * <pre>{@code
 * ConvSpec.of(1, 1)                                           // stride 1, padding 1 on every side
 * ConvSpec.of(new int[]{2, 1}, new int[]{1, 0}, new int[]{1, 1}, 1) // per-axis {h, w} stride, padding, dilation
 * ConvSpec.of(new int[]{1, 1}, new int[]{0, 1, 0, 1}, null, 1)      // padding {top, bottom, left, right}
 * ConvSpec.same(new int[]{2, 2}, null, 1)                     // TensorFlow/Keras 'same', resolved per input
 * ConvSpec.DEFAULT.withGroups(32)                             // depthwise, for 32 input channels
 * }</pre>
 *
 * <p>{@code samePadding} means TensorFlow's (and Keras') {@code padding='same'}: the output has
 * {@code ceil(in / stride)} positions per axis, and the padding that needs, {@code max((out - 1) * stride +
 * dilation * (kernel - 1) + 1 - in, 0)}, is split with the odd pixel at the bottom and right (PyTorch's
 * {@code padding='same'} for stride 1 does the same). Its padding fields are 0; {@link #resolve} fills them in for one
 * input size. Groups split the input and output channels into {@code groups} consecutive parts, output part {@code i}
 * seeing input part {@code i} only; the weight is then {@code [F, C/groups, KH, KW]}.
 */
public record ConvSpec(int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                       int dilationH, int dilationW, int groups, boolean samePadding) {

    /** Stride 1, no padding, dilation 1, one group (PyTorch's defaults; Keras' {@code 'valid'}). */
    public static final ConvSpec DEFAULT = new ConvSpec(1, 1, 0, 0, 0, 0, 1, 1, 1, false);

    public ConvSpec {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1) {
            throw new IllegalArgumentException("conv: stride " + strideH + "x" + strideW + ", dilation " + dilationH
                    + "x" + dilationW + " and groups " + groups + " must be positive");
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("conv: padding must be non-negative, got top " + padTop + ", bottom "
                    + padBottom + ", left " + padLeft + ", right " + padRight);
        }
        if (samePadding && (padTop | padBottom | padLeft | padRight) != 0) {
            throw new IllegalArgumentException("conv: 'same' padding is computed from the input; explicit padding "
                    + "must be 0");
        }
    }

    /** The same stride and the same padding on every side, dilation 1, one group. */
    public static ConvSpec of(int stride, int padding) {
        return new ConvSpec(stride, stride, padding, padding, padding, padding, 1, 1, 1, false);
    }

    /**
     * From arrays: {@code stride} and {@code dilation} as {@code {s}} or {@code {h, w}} (null: 1), {@code padding} as
     * {@code {p}}, {@code {h, w}} (each on both sides) or {@code {top, bottom, left, right}} (null: 0).
     */
    public static ConvSpec of(int[] stride, int[] padding, int[] dilation, int groups) {
        int[] s = pair("stride", stride, 1);
        int[] d = pair("dilation", dilation, 1);
        int[] p = sides(padding);
        return new ConvSpec(s[0], s[1], p[0], p[1], p[2], p[3], d[0], d[1], groups, false);
    }

    /** TensorFlow/Keras {@code 'same'} padding with the given stride and dilation ({@code {s}} or {@code {h, w}}). */
    public static ConvSpec same(int[] stride, int[] dilation, int groups) {
        int[] s = pair("stride", stride, 1);
        int[] d = pair("dilation", dilation, 1);
        return new ConvSpec(s[0], s[1], 0, 0, 0, 0, d[0], d[1], groups, true);
    }

    /** A 1-D convolution's spec for {@link Conv1d}: only the width axis moves; padding {@code left, right}. */
    public static ConvSpec of1d(int stride, int padLeft, int padRight, int dilation, int groups) {
        return new ConvSpec(1, stride, 0, 0, padLeft, padRight, 1, dilation, groups, false);
    }

    /** A 1-D convolution's {@code 'same'} spec for {@link Conv1d}. */
    public static ConvSpec same1d(int stride, int dilation, int groups) {
        return new ConvSpec(1, stride, 0, 0, 0, 0, 1, dilation, groups, true);
    }

    public ConvSpec withStride(int h, int w) {
        return new ConvSpec(h, w, padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups, samePadding);
    }

    /** Explicit padding per side (and no longer 'same'). */
    public ConvSpec withPadding(int top, int bottom, int left, int right) {
        return new ConvSpec(strideH, strideW, top, bottom, left, right, dilationH, dilationW, groups, false);
    }

    /** 'same' padding (explicit padding dropped). */
    public ConvSpec withSamePadding() {
        return new ConvSpec(strideH, strideW, 0, 0, 0, 0, dilationH, dilationW, groups, true);
    }

    public ConvSpec withDilation(int h, int w) {
        return new ConvSpec(strideH, strideW, padTop, padBottom, padLeft, padRight, h, w, groups, samePadding);
    }

    public ConvSpec withGroups(int groups) {
        return new ConvSpec(strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups,
                samePadding);
    }

    /**
     * 'same' padding worked out for one axis: {@code {before, after}} for input size {@code size}, with the odd pixel
     * after (bottom or right), as TensorFlow does.
     */
    public static int[] samePadding(int size, int kernel, int stride, int dilation) {
        long out = (size + (long) stride - 1) / stride;
        long total = Math.max(0, (out - 1) * stride + (long) dilation * (kernel - 1) + 1 - size);
        if (total > Integer.MAX_VALUE / 4) throw new IllegalArgumentException("conv: 'same' padding too large");
        int before = (int) (total / 2);
        return new int[]{before, (int) total - before};
    }

    /** This spec with explicit padding for a {@code height x width} input and a {@code kernelH x kernelW} kernel. */
    public ConvSpec resolve(int height, int width, int kernelH, int kernelW) {
        if (!samePadding) return this;
        int[] h = samePadding(height, kernelH, strideH, dilationH);
        int[] w = samePadding(width, kernelW, strideW, dilationW);
        return new ConvSpec(strideH, strideW, h[0], h[1], w[0], w[1], dilationH, dilationW, groups, false);
    }

    /** True when top equals bottom and left equals right padding (what PyTorch's {@code padding} argument says). */
    public boolean symmetricPadding() {
        return !samePadding && padTop == padBottom && padLeft == padRight;
    }

    /**
     * The kernels' geometry for input {@code [N, C, H, W]} and weight {@code [F, C/groups, KH, KW]}; throws a
     * {@link ShapeException} naming both shapes when they do not fit this spec.
     */
    public ConvGeometry geometry(int[] inputShape, int[] weightShape) {
        if (inputShape.length != 4 || weightShape.length != 4) {
            throw new ShapeException("conv2d: needs input [N, C, H, W] and weight [F, C/groups, KH, KW], got "
                    + Shape.str(inputShape) + " and " + Shape.str(weightShape));
        }
        int c = inputShape[1];
        int f = weightShape[0];
        if (c % groups != 0 || f % groups != 0) {
            throw new ShapeException("conv2d: " + groups + " groups must divide the input's " + c
                    + " channels and the weight's " + f + " filters (input " + Shape.str(inputShape) + ", weight "
                    + Shape.str(weightShape) + ")");
        }
        if (weightShape[1] * groups != c) {
            throw new ShapeException("conv2d: input " + Shape.str(inputShape) + " has " + c + " channels but weight "
                    + Shape.str(weightShape) + (groups == 1 ? " expects " + weightShape[1]
                    : " with " + groups + " groups expects " + weightShape[1] * groups));
        }
        ConvSpec r = resolve(inputShape[2], inputShape[3], weightShape[2], weightShape[3]);
        try {
            return new ConvGeometry(inputShape[0], c, inputShape[2], inputShape[3], f, weightShape[2], weightShape[3],
                    r.strideH, r.strideW, r.padTop, r.padBottom, r.padLeft, r.padRight, r.dilationH, r.dilationW,
                    groups);
        } catch (IllegalArgumentException e) {
            throw new ShapeException(e.getMessage() + " (input " + Shape.str(inputShape) + ", weight "
                    + Shape.str(weightShape) + ")");
        }
    }

    /** The output shape {@code [N, F, outH, outW]} for input {@code [N, C, H, W]}, weight {@code [F, C/g, KH, KW]}. */
    public int[] outputShape(int[] inputShape, int[] weightShape) {
        ConvGeometry g = geometry(inputShape, weightShape);
        return new int[]{g.batch(), g.outChannels(), g.outH(), g.outW()};
    }

    private static int[] pair(String what, int[] v, int fallback) {
        if (v == null) return new int[]{fallback, fallback};
        if (v.length == 1) return new int[]{v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException("conv: " + what + " needs 1 or 2 values ({h, w}), got " + v.length);
    }

    private static int[] sides(int[] p) {
        if (p == null) return new int[4];
        return switch (p.length) {
            case 1 -> new int[]{p[0], p[0], p[0], p[0]};
            case 2 -> new int[]{p[0], p[0], p[1], p[1]};
            case 4 -> p.clone();
            default -> throw new IllegalArgumentException("conv: padding needs 1, 2 ({h, w}) or 4 ({top, bottom, "
                    + "left, right}) values, got " + p.length);
        };
    }
}
