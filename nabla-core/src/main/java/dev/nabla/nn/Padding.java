package dev.nabla.nn;

import dev.nabla.config.ValueTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a convolution pads its input, as Keras writes it: {@code "valid"} (none), {@code "same"} (the output keeps
 * {@code ceil(size / stride)}; any extra pixel goes after, as in TensorFlow), or explicit pixels: {@code N} on every
 * side, {@code [h, w]} per axis, or {@code [top, bottom, left, right]} (for 1-D layers: {@code N} or
 * {@code [left, right]}).
 */
public record Padding(String mode, int[] pixels) {

    public static final Padding VALID = new Padding("valid", new int[0]);
    public static final Padding SAME = new Padding("same", new int[0]);

    static {
        ValueTypes.register(Padding.class, ValueTypes.simple(Padding::fromJson, Padding::toJson));
    }

    public Padding {
        if (!mode.equals("valid") && !mode.equals("same") && !mode.equals("explicit")) {
            throw new IllegalArgumentException("padding must be \"valid\", \"same\" or pixels, got \"" + mode + "\"");
        }
        pixels = pixels.clone();
        for (int p : pixels) if (p < 0) throw new IllegalArgumentException("padding must not be negative, got " + p);
    }

    /** Explicit pixels: one value for every side, two per axis, or four (top, bottom, left, right). */
    public static Padding of(int... pixels) {
        if (pixels.length != 1 && pixels.length != 2 && pixels.length != 4) {
            throw new IllegalArgumentException("padding takes 1, 2 or 4 numbers, got " + pixels.length);
        }
        return new Padding("explicit", pixels);
    }

    static Padding fromJson(Object v) {
        if (v instanceof String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "valid" -> VALID;
                case "same" -> SAME;
                default -> throw new IllegalArgumentException("expected \"valid\", \"same\" or pixels, got \"" + s + "\"");
            };
        }
        int[] p = ValueTypesBridge.ints(v);
        return of(p);
    }

    Object toJson() {
        if (!mode.equals("explicit")) return mode;
        if (pixels.length == 1) return (long) pixels[0];
        List<Object> out = new ArrayList<>();
        for (int p : pixels) out.add((long) p);
        return out;
    }

    /**
     * The pixels before and after each spatial axis, {@code {before0, after0, before1, after1, ...}}, for inputs of
     * these sizes with these kernel sizes, strides and dilations.
     */
    public int[] resolve(int[] size, int[] kernel, int[] stride, int[] dilation) {
        int axes = size.length;
        int[] out = new int[2 * axes];
        switch (mode) {
            case "valid" -> { }
            case "same" -> {
                for (int a = 0; a < axes; a++) {
                    int effective = (kernel[a] - 1) * dilation[a] + 1;
                    int outSize = (size[a] + stride[a] - 1) / stride[a];
                    int total = Math.max(0, (outSize - 1) * stride[a] + effective - size[a]);
                    out[2 * a] = total / 2;
                    out[2 * a + 1] = total - total / 2;
                }
            }
            default -> {
                if (pixels.length == 1) {
                    Arrays.fill(out, pixels[0]);
                } else if (pixels.length == axes) {
                    for (int a = 0; a < axes; a++) out[2 * a] = out[2 * a + 1] = pixels[a];
                } else if (pixels.length == 2 * axes) {
                    System.arraycopy(pixels, 0, out, 0, out.length);
                } else {
                    throw new IllegalArgumentException("padding " + toJson() + " does not fit " + axes + " spatial axes");
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding p && p.mode.equals(mode) && Arrays.equals(p.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return String.valueOf(toJson());
    }

    /** Reads int lists the way every config does. */
    private static final class ValueTypesBridge {
        static int[] ints(Object v) {
            if (v instanceof Number n) {
                if (n.doubleValue() != Math.rint(n.doubleValue())) throw new IllegalArgumentException("expected pixels, got " + v);
                return new int[]{Math.toIntExact(n.longValue())};
            }
            if (!(v instanceof List<?> l)) throw new IllegalArgumentException("expected \"valid\", \"same\" or pixels, got " + v);
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("expected whole pixels, got " + l.get(i));
                }
                out[i] = Math.toIntExact(n.longValue());
            }
            return out;
        }
    }
}
