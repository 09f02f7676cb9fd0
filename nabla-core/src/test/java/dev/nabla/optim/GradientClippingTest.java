package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {

    private static Tensor param(float[] grad, int... shape) {
        Tensor p = Tensor.zeros(shape).requiresGrad(true);
        p.setGrad(Tensor.of(grad, shape));
        return p;
    }

    @Test
    void clipByNormScalesAllGradientsByTheTotalNorm() {
        // |(3, 4, 12)| = 13 across two parameters; a third without a gradient is ignored.
        Tensor a = param(new float[]{3, 4}, 2);
        Tensor b = param(new float[]{12}, 1);
        Tensor none = Tensor.zeros(3).requiresGrad(true);
        double norm = GradientClipping.clipByNorm(List.of(a, none, b), 5);
        assertEquals(13.0, norm, 1e-12);
        float scale = (float) (5 / (13 + 1e-6));
        assertArrayEquals(new float[]{3 * scale, 4 * scale}, a.grad().toArray(), 1e-7f);
        assertArrayEquals(new float[]{12 * scale}, b.grad().toArray(), 1e-7f);
        assertNull(none.grad());
        double after = Math.sqrt(sumSquares(a) + sumSquares(b));
        assertEquals(5.0, after, 1e-5);
    }

    @Test
    void clipByNormLeavesSmallGradientsAlone() {
        float[] g = {0.3f, -0.4f, 1e-3f};
        Tensor a = param(g, 3);
        double norm = GradientClipping.clipByNorm(List.of(a), 1.0);
        assertEquals(Math.sqrt(0.09 + 0.16 + 1e-6), norm, 1e-6);
        assertArrayEquals(g, a.grad().toArray(), 0f);   // bit for bit: not multiplied at all
        assertEquals(0.0, GradientClipping.clipByNorm(List.of(Tensor.zeros(2).requiresGrad(true)), 1.0));
    }

    @Test
    void clipByNormSpreadsNaNLikePyTorch() {
        Tensor a = param(new float[]{1, Float.NaN}, 2);
        Tensor b = param(new float[]{2}, 1);
        assertTrue(Double.isNaN(GradientClipping.clipByNorm(List.of(a, b), 1.0)));
        assertTrue(Float.isNaN(b.grad().toArray()[0]));
    }

    @Test
    void clipByValueClampsEveryValue() {
        Tensor a = param(new float[]{-3, 0.5f, 2, Float.NaN, -0.25f, 1}, 2, 3);
        GradientClipping.clipByValue(List.of(a), 1.0);
        float[] got = a.grad().toArray();
        assertArrayEquals(new float[]{-1, 0.5f, 1}, new float[]{got[0], got[1], got[2]}, 0f);
        assertTrue(Float.isNaN(got[3]));
        assertArrayEquals(new float[]{-0.25f, 1}, new float[]{got[4], got[5]}, 0f);
    }

    @Test
    void stridedGradientsAreClippedElementByElement() {
        // A transposed view as the gradient: its array order differs from its element order.
        Tensor p = Tensor.zeros(3, 2).requiresGrad(true);
        Tensor g = Tensor.of(new float[]{5, -5, 0.5f, 0.1f, 7, -0.2f}, 2, 3).transpose(0, 1);
        assertFalse(g.isContiguous());
        p.setGrad(g);
        GradientClipping.clipByValue(List.of(p), 1.0);
        assertArrayEquals(new float[]{1, 0.1f, -1, 1, 0.5f, -0.2f}, p.grad().toArray(), 0f);

        Tensor q = Tensor.zeros(3, 2).requiresGrad(true);
        q.setGrad(Tensor.of(new float[]{3, 0, 0, 4, 0, 0}, 2, 3).transpose(0, 1));
        assertEquals(5.0, GradientClipping.clipByNorm(List.of(q), 1.0), 1e-12);
        assertEquals(1.0, Math.sqrt(sumSquares(q)), 1e-5);
    }

    @Test
    void rejectsNegativeLimits() {
        List<Tensor> ps = List.of(param(new float[]{1}, 1));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByNorm(ps, -1));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByNorm(ps, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByValue(ps, -0.5));
    }

    private static double sumSquares(Tensor p) {
        double s = 0;
        for (float v : p.grad().toArray()) s += (double) v * v;
        return s;
    }
}
