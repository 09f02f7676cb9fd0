package dev.nabla.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorised exact GELU agrees with the erf formula it replaced, over the whole float range that matters. */
class GeluKernelsTest {

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);

    @Test
    void valuesAndDerivativesMatchTheErfFormula() {
        int n = 24001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -12f + i * 0.001f;
        float[] out = new float[n];
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] grad = new float[n];
        GeluKernels.forward(x, out, 0, n);
        GeluKernels.backward(ones, x, grad, 0, n);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double cdf = 0.5 * (1 + Erf.erf(v * INV_SQRT_2));
            double expected = v * cdf;
            double slope = cdf + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
            assertEquals(expected, out[i], 2e-7 + 2e-7 * Math.abs(expected), "gelu(" + v + ")");
            assertEquals(slope, grad[i], 2e-7 + 2e-7 * Math.abs(slope), "gelu'(" + v + ")");
        }
    }

    @Test
    void zeroInfinitiesAndNaN() {
        float[] x = {0f, Float.POSITIVE_INFINITY, Float.NaN, 1e30f, -1e30f};
        float[] out = new float[x.length];
        float[] grad = new float[x.length];
        GeluKernels.forward(x, out, 0, x.length);
        GeluKernels.backward(new float[]{3f, 1f, 1f, 1f, 1f}, x, grad, 0, x.length);
        assertEquals(0f, out[0]);
        assertEquals(1.5f, grad[0], 1e-7f);
        assertEquals(Float.POSITIVE_INFINITY, out[1]);
        assertTrue(Float.isNaN(out[2]) && Float.isNaN(grad[2]));
        assertEquals(1e30f, out[3]);
        assertEquals(1f, grad[3]);
        assertEquals(0f, out[4]);
        assertEquals(0f, grad[4], 1e-12f);
    }

    @Test
    void offsetsAndLengthsNotAMultipleOfTheBlock() {
        float[] x = new float[1300];
        for (int i = 0; i < x.length; i++) x[i] = (i % 37 - 18) * 0.21f;
        float[] whole = new float[x.length];
        GeluKernels.forward(x, whole, 0, x.length);
        float[] part = new float[x.length];
        GeluKernels.forward(x, part, 517, 1123);
        for (int i = 0; i < x.length; i++) assertEquals(i >= 517 && i < 1123 ? whole[i] : 0f, part[i], 0f, "index " + i);
    }
}
