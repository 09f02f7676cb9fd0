package dev.nabla.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {

    @Test
    void creationHelpers() {
        assertArrayEquals(new float[]{0, 0, 0, 0}, Tensor.zeros(2, 2).toArray());
        assertArrayEquals(new float[]{1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[]{7, 7}, Tensor.full(7f, 1, 2).toArray());
        assertArrayEquals(new float[]{0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertArrayEquals(new float[]{1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).toArray());
        assertArrayEquals(new int[]{2, 3}, Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}}).shape());
        assertEquals(5f, Tensor.scalar(5f).item());
        assertEquals(0, Tensor.scalar(5f).rank());
    }

    @Test
    void ofCopiesItsInput() {
        float[] values = {1, 2};
        Tensor t = Tensor.of(values);
        values[0] = 9;
        assertEquals(1f, t.get(0));
    }

    @Test
    void seededRandomIsReproducibleAndHasTheRightMoments() {
        Tensor a = Tensor.randn(new SplittableRandom(3), 100, 100);
        Tensor b = Tensor.randn(new SplittableRandom(3), 100, 100);
        assertArrayEquals(a.toArray(), b.toArray());
        assertEquals(0.0, a.mean().item(), 0.03);
        assertEquals(1.0, a.square().mean().item(), 0.05);
        Tensor u = Tensor.uniform(new SplittableRandom(4), -2f, 2f, 10000);
        assertTrue(u.max().item() < 2f && u.neg().max().item() <= 2f);
        assertEquals(0.0, u.mean().item(), 0.05);
    }

    @Test
    void viewsShareDataAndRespectStrides() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        Tensor tt = t.transpose(0, 1);
        assertArrayEquals(new int[]{3, 2}, tt.shape());
        assertSame(t.data(), tt.data());
        assertFalse(tt.isContiguous());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, tt.toArray());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, tt.reshape(6).toArray());
        Tensor rows = Tensor.arange(12).reshape(4, 3).slice(1, 3);
        assertArrayEquals(new float[]{3, 4, 5, 6, 7, 8}, rows.toArray());
        assertArrayEquals(new float[]{4, 7}, rows.narrow(1, 1, 1).toArray());
        Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertEquals(13f, p.get(1, 1, 0));
    }

    @Test
    void broadcastingArithmetic() {
        Tensor m = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor row = Tensor.of(new float[]{10, 20, 30});
        Tensor col = Tensor.of(new float[]{1, 2}, 2, 1);
        assertArrayEquals(new float[]{11, 22, 33, 14, 25, 36}, m.add(row).toArray());
        assertArrayEquals(new float[]{0, 1, 2, 2, 3, 4}, m.sub(col).toArray());
        assertArrayEquals(new float[]{2, 4, 6, 8, 10, 12}, m.mul(2f).toArray());
        assertArrayEquals(new float[]{10, 20, 30, 20, 40, 60}, col.mul(row).toArray());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, m.transpose(0, 1).transpose(0, 1).mul(1f).toArray());
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, m.transpose(0, 1).add(0f).toArray());
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        ShapeException add = assertThrows(ShapeException.class, () -> a.add(Tensor.zeros(4)));
        assertTrue(add.getMessage().contains("add") && add.getMessage().contains("[2, 3]")
                && add.getMessage().contains("[4]"), add.getMessage());
        ShapeException mm = assertThrows(ShapeException.class, () -> a.matmul(b));
        assertTrue(mm.getMessage().contains("matmul") && mm.getMessage().contains("[2, 3]")
                && mm.getMessage().contains("[4, 5]"), mm.getMessage());
        ShapeException rs = assertThrows(ShapeException.class, () -> a.reshape(4, 2));
        assertTrue(rs.getMessage().contains("reshape"), rs.getMessage());
    }

    @Test
    void reductions() {
        Tensor t = Tensor.of(new float[][]{{1, 5, 3}, {4, 2, 6}});
        assertEquals(21f, t.sum().item());
        assertArrayEquals(new float[]{5, 7, 9}, t.sum(0, false).toArray());
        assertArrayEquals(new int[]{2, 1}, t.sum(1, true).shape());
        assertArrayEquals(new float[]{3, 4}, t.mean(1, false).toArray());
        assertArrayEquals(new float[]{5, 6}, t.max(1, false).toArray());
        assertArrayEquals(new float[]{1, 2}, t.argmax(1, false).toArray());
        assertArrayEquals(new float[]{1, 0, 1}, t.argmax(0, false).toArray());
    }

    @Test
    void concatStackGatherIndexSelect() {
        Tensor a = Tensor.of(new float[][]{{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new float[][]{{5}, {6}});
        assertArrayEquals(new float[]{1, 2, 5, 3, 4, 6}, Tensor.concat(1, a, b).toArray());
        assertArrayEquals(new int[]{2, 2, 2}, Tensor.stack(1, a, a).shape());
        assertArrayEquals(new float[]{1, 2, 1, 2, 3, 4, 3, 4}, Tensor.stack(1, a, a).toArray());
        Tensor labels = Tensor.of(new float[]{1, 0}, 2, 1);
        assertArrayEquals(new float[]{2, 3}, a.gather(1, labels).toArray());
        assertArrayEquals(new float[]{3, 4, 1, 2, 3, 4}, a.indexSelect(0, new int[]{1, 0, 1}).toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> a.indexSelect(0, new int[]{2}));
    }

    @Test
    void activationValues() {
        Tensor x = Tensor.of(new float[]{-2, 0, 3});
        assertArrayEquals(new float[]{0, 0, 3}, x.relu().toArray());
        assertArrayEquals(new float[]{-0.2f, 0, 3}, x.leakyRelu(0.1f).toArray(), 1e-6f);
        assertEquals(0.5f, x.sigmoid().get(1));
        assertArrayEquals(new float[]{-2, 0, 2}, x.clamp(-2, 2).toArray());
        Tensor p = Tensor.of(new float[]{1000, 1000}).softmax(0);
        assertArrayEquals(new float[]{0.5f, 0.5f}, p.toArray(), 1e-6f);
    }

    @Test
    void toStringShowsShapeAndSomeValues() {
        String small = Tensor.of(new float[]{1, 2}).toString();
        assertEquals("Tensor[2] [1.0000, 2.0000]", small);
        String large = Tensor.arange(100).reshape(10, 10).toString();
        assertTrue(large.startsWith("Tensor[10, 10] [0.0000, 1.0000"), large);
        assertTrue(large.contains("...") && large.endsWith("99.0000]"), large);
    }
}
