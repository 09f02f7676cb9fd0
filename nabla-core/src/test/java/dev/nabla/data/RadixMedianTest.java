package dev.nabla.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RadixMedianTest {

    /** Reads {@code values} as often as the selection asks. */
    private static double select(float[] values, int digitBits) {
        RadixMedian m = new RadixMedian(digitBits);
        int readings = 0;
        while (m.needsPass()) {
            for (float v : values) m.add(v);
            m.endPass();
            readings++;
        }
        assertEquals(values.length == 0 ? 1 : 32 / digitBits, readings);
        return m.median();
    }

    @Test
    void equalsTheMedianOfTheSortedValuesBitForBit() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(300);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (rng.nextInt(5)) {
                    case 0 -> (float) rng.nextGaussian() * 1e6f;
                    case 1 -> -rng.nextInt(4);        // duplicates and negative whole numbers
                    case 2 -> rng.nextBoolean() ? 0f : -0f;
                    case 3 -> (float) rng.nextDouble(-1e-30, 1e-30);
                    default -> (float) rng.nextDouble();
                };
            }
            double expected = ColumnProfile.median(v.clone());
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(select(v, 16)), "n = " + n + " (16-bit digits)");
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(select(v, 8)), "n = " + n + " (8-bit digits)");
        }
    }

    @Test
    void handComputedMedians() {
        assertEquals(2.0, select(new float[]{3, 1, 2}, 16));
        assertEquals(2.5, select(new float[]{4, 1, 3, 2}, 16));
        assertEquals(-1.5, select(new float[]{-1, -2, -3, 5}, 8));
        // the mean of the middle two is taken in double: no float rounding
        assertEquals(((double) 16777216f + 16777218f) / 2, select(new float[]{16777216f, 16777218f}, 16));
        assertEquals(0, select(new float[0], 16));
    }

    @Test
    void keysSortAsFloatsDo() {
        float[] ordered = {Float.NEGATIVE_INFINITY, -3e38f, -1, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1, 3e38f, Float.POSITIVE_INFINITY};
        for (int i = 1; i < ordered.length; i++) {
            assertTrue(Integer.compareUnsigned(RadixMedian.key(ordered[i - 1]), RadixMedian.key(ordered[i])) < 0, "at " + i);
        }
        assertFalse(new RadixMedian(16).count() != 0);
    }
}
