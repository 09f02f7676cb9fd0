package dev.nabla.autograd;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new float[]{1, 2, 3}).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new float[]{2, 4, 6}, x.grad().toArray());
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[]{5, 7, 9}, x.grad().toArray());
        x.zeroGrad();
        assertArrayEquals(new float[]{0, 0, 0}, x.grad().toArray());
    }

    @Test
    void backwardAfterZeroGradStartsFromZeroAndKeepsTheBuffer() {
        Tensor x = Tensor.of(new float[]{1, 2, 3}).requiresGrad(true);
        x.mul(x).sum().backward();
        float[] buffer = x.grad().data();
        x.zeroGrad();
        // not read in between: the next backward overwrites the cleared buffer instead of adding to it
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[]{3, 3, 3}, x.grad().toArray());
        assertSame(buffer, x.grad().data());
        // two paths after a clear: the first overwrites, the second adds
        x.zeroGrad();
        x.mul(2f).add(x.mul(x)).sum().backward();
        assertArrayEquals(new float[]{4, 6, 8}, x.grad().toArray());
    }

    @Test
    void tensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.of(new float[]{2, -1}).requiresGrad(true);
        Tensor y = x.exp();
        // y feeds two paths; d/dx (y + y*x) = exp(x) * (2 + x)
        y.add(y.mul(x)).sum().backward();
        assertEquals(Math.exp(2) * 4, x.grad().get(0), 1e-4);
        assertEquals(Math.exp(-1) * 1, x.grad().get(1), 1e-5);
    }

    @Test
    void sharedGradientIsNotCorruptedByInPlaceAccumulation() {
        // add() hands the same gradient tensor to both inputs; later accumulation must not leak into the leaf
        Tensor a = Tensor.of(new float[]{1, 1}).requiresGrad(true);
        Tensor b = Tensor.of(new float[]{3, 4}).requiresGrad(true);
        Tensor c = a.mul(b);
        Tensor s = a.add(c);
        s.add(c).sum().backward();
        assertArrayEquals(new float[]{1 + 2 * 3, 1 + 2 * 4}, a.grad().toArray());
        assertArrayEquals(new float[]{2, 2}, b.grad().toArray());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor w = Tensor.ones(2, 2).requiresGrad(true);
        Tensor y;
        try (var ignored = GradMode.noGrad()) {
            y = w.matmul(w);
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        Tensor d = x.mul(2f).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        Tensor z = x.mul(d).sum();
        z.backward();
        assertArrayEquals(new float[]{2, 4}, x.grad().toArray());
    }

    @Test
    void backwardTwiceOnTheSameGraphIsAnError() {
        Tensor x = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        Tensor loss = x.square().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already"), e.getMessage());
    }

    @Test
    void backwardNeedsAScalarOrAnExplicitGradient() {
        Tensor x = Tensor.ones(2, 2).requiresGrad(true);
        Tensor y = x.mul(3f);
        assertThrows(IllegalArgumentException.class, y::backward);
        y.backward(Tensor.full(2f, 2, 2));
        assertArrayEquals(new float[]{6, 6, 6, 6}, x.grad().toArray());
    }

    @Test
    void graphIsReleasedAfterBackward() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        Tensor hidden = x.exp();
        Tensor loss = hidden.sum();
        assertNotNull(hidden.gradFn());
        loss.backward();
        assertNull(hidden.gradFn(), "intermediate results must not keep the graph alive");
        assertNull(loss.gradFn());
    }

    /**
     * Thousands of training steps of a small MLP written with raw ops: the heap in use after a GC must not grow
     * between the early and the late steps, so no step leaves graph or buffers behind.
     */
    @Test
    void memoryStaysFlatOverThousandsOfSteps() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor w1 = Tensor.normal(rng, 0f, 0.1f, 64, 128).requiresGrad(true);
        Tensor b1 = Tensor.zeros(128).requiresGrad(true);
        Tensor w2 = Tensor.normal(rng, 0f, 0.1f, 128, 10).requiresGrad(true);
        Tensor x = Tensor.randn(rng, 32, 64);
        Tensor target = Tensor.randn(rng, 32, 10);
        Tensor[] params = {w1, b1, w2};
        long early = 0;
        float firstLoss = Float.NaN;
        float lastLoss = Float.NaN;
        for (int step = 1; step <= 3000; step++) {
            for (Tensor p : params) p.zeroGrad();
            Tensor loss = x.matmul(w1).add(b1).relu().matmul(w2).sub(target).square().mean();
            loss.backward();
            try (var ignored = GradMode.noGrad()) {
                for (Tensor p : params) {
                    float[] d = p.data();
                    float[] g = p.grad().data();
                    for (int i = 0; i < d.length; i++) d[i] -= 0.05f * g[i];
                }
            }
            if (step == 1) firstLoss = loss.item();
            lastLoss = loss.item();
            if (step == 500) early = usedHeapAfterGc();
        }
        long late = usedHeapAfterGc();
        assertTrue(lastLoss < firstLoss * 0.5f, "training should reduce the loss: " + firstLoss + " -> " + lastLoss);
        assertTrue(late - early < 4L * 1024 * 1024,
                "heap grew by " + (late - early) / 1024 + " KiB between step 500 and step 3000");
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
