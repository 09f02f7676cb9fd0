package dev.nabla.nn;

import java.util.Locale;

/**
 * Which way a recurrent layer reads its sequences: {@code forward} (first step to last), {@code reverse} (last to
 * first, Keras' {@code go_backwards}, but with outputs at their own time steps), or {@code bidirectional} (both, their
 * outputs concatenated on the feature axis, forward first, as PyTorch's {@code bidirectional=True}). Written
 * {@code bi}, {@code bidirectional}, {@code forward}, {@code reverse} in tokens ({@code lstm:64:bi}).
 */
public enum Direction {
    FORWARD, REVERSE, BIDIRECTIONAL;

    /** The passes a layer runs per stacked layer. */
    public int passes() {
        return this == BIDIRECTIONAL ? 2 : 1;
    }

    /** Whether pass {@code d} (0 or 1) runs from the last step to the first. */
    public boolean reversed(int d) {
        return this == REVERSE || d == 1;
    }

    public static Direction of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "forward", "fwd", "uni" -> FORWARD;
            case "reverse", "backward", "backwards" -> REVERSE;
            case "bidirectional", "bi" -> BIDIRECTIONAL;
            default -> throw new IllegalArgumentException("expected forward, reverse or bi(directional), got '" + name + "'");
        };
    }
}
