package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ImageAugmentationTest {

    /** {@code n} images of {@code c x h x w} with distinct positive pixel values. */
    private static Tensor images(int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) v[i] = i + 1;
        return Tensor.wrap(v, n, c, h, w);
    }

    @Test
    void sameSeedSameAugmentationAndTheInputIsLeftAlone() {
        Tensor x = images(16, 3, 5, 7);
        float[] before = x.toArray();
        ImageAugmentation aug = new ImageAugmentation(true, 2);
        Tensor a = aug.apply(x, new SplittableRandom(1));
        Tensor b = aug.apply(x, new SplittableRandom(1));
        assertArrayEquals(a.toArray(), b.toArray());
        assertArrayEquals(before, x.toArray());
        assertArrayEquals(x.shape(), a.shape());
        assertFalse(java.util.Arrays.equals(before, a.toArray()));
    }

    @Test
    void withNothingToDoItCopies() {
        Tensor x = images(3, 2, 4, 4);
        assertArrayEquals(x.toArray(), new ImageAugmentation(false, 0).apply(x, new SplittableRandom(3)).toArray());
    }

    @Test
    void flipsMirrorWholeImages() {
        Tensor x = images(64, 2, 3, 4);
        Tensor out = new ImageAugmentation(true, 0).apply(x, new SplittableRandom(9));
        int flipped = 0;
        for (int n = 0; n < 64; n++) {
            boolean same = true;
            boolean mirrored = true;
            for (int c = 0; c < 2; c++) for (int y = 0; y < 3; y++) for (int xx = 0; xx < 4; xx++) {
                float o = out.get(n, c, y, xx);
                same &= o == x.get(n, c, y, xx);
                mirrored &= o == x.get(n, c, y, 3 - xx);
            }
            assertTrue(same || mirrored, "sample " + n);
            if (mirrored) flipped++;
        }
        assertTrue(flipped > 16 && flipped < 48, "flipped " + flipped + " of 64");
    }

    @Test
    void shiftsMoveContentAndFillWithZeros() {
        Tensor x = images(200, 1, 6, 6);
        Tensor out = new ImageAugmentation(false, 2).apply(x, new SplittableRandom(4));
        boolean[][] seen = new boolean[5][5];
        for (int n = 0; n < 200; n++) {
            // recover the shift from where the input's first pixel went, then check every pixel
            int dx = Integer.MIN_VALUE;
            int dy = 0;
            for (int y = 0; y < 6 && dx == Integer.MIN_VALUE; y++) {
                for (int xx = 0; xx < 6; xx++) {
                    float v = out.get(n, 0, y, xx);
                    if (v != 0) {
                        float src = v - 1 - n * 36;
                        dy = y - (int) src / 6;
                        dx = xx - (int) src % 6;
                        break;
                    }
                }
            }
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2);
            seen[dy + 2][dx + 2] = true;
            for (int y = 0; y < 6; y++) for (int xx = 0; xx < 6; xx++) {
                int sy = y - dy;
                int sx = xx - dx;
                float want = sy >= 0 && sy < 6 && sx >= 0 && sx < 6 ? x.get(n, 0, sy, sx) : 0;
                assertEquals(want, out.get(n, 0, y, xx), "sample " + n + " at " + y + "," + xx);
            }
        }
        for (boolean[] row : seen) for (boolean s : row) assertTrue(s, "every shift from -2 to 2 occurs");
    }

    @Test
    void viewsAndWrongRanksAreHandled() {
        Tensor x = images(4, 1, 3, 3);
        Tensor view = x.slice(1, 3);
        assertArrayEquals(view.toArray(), new ImageAugmentation(false, 0).apply(view, new SplittableRandom(1)).toArray());
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(true, 1).apply(Tensor.zeros(2, 3), new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(true, -1));
    }
}
