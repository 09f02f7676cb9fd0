package dev.nabla.testing;

import dev.nabla.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** What the golden layer tests share: PyTorch's tensors into Nabla's, and comparisons within float rounding. */
public final class GoldenChecks {

    private GoldenChecks() {
    }

    /** Copies the case's tensor {@code name} into {@code target} (a parameter), which must have its shape. */
    public static void copyInto(Golden.Case c, String name, Tensor target) {
        Golden.Tensor source = c.tensor(name);
        assertArrayEquals(source.shape(), target.shape(), c.name() + ": shape of " + name);
        System.arraycopy(source.values(), 0, target.data(), target.offset(), source.values().length);
    }

    /** A fixture tensor as a Nabla tensor. */
    public static Tensor tensor(Golden.Tensor t) {
        return Tensor.of(t.values(), t.shape());
    }

    /** {@code actual} equals the case's tensor {@code name} within {@code absolute + relative * |expected|}. */
    public static void assertClose(Golden.Case c, String name, Tensor actual, double absolute, double relative) {
        Golden.Tensor expected = c.tensor(name);
        assertArrayEquals(expected.shape(), actual.shape(), c.name() + ": shape of " + name);
        float[] got = actual.toArray();
        for (int i = 0; i < got.length; i++) {
            float e = expected.values()[i];
            double tolerance = absolute + relative * Math.abs(e);
            if (!(Math.abs(e - got[i]) <= tolerance)) fail(c.name() + " " + name + "[" + i + "]: PyTorch " + e + ", Nabla " + got[i]);
        }
    }
}
