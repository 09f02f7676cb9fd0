package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.BatchTransform;

import java.util.random.RandomGenerator;

/**
 * Random changes to each training image of a {@code [N, C, H, W]} batch: a horizontal flip with probability 0.5 and a
 * shift by up to {@code maxShift} pixels in each direction, the uncovered border filled with 0. Writes one new batch
 * (the input may be a view of the training set, so it is never modified); draws come only from the given generator,
 * so runs with the same seed augment alike. Horizontal flips suit photos, not digits or text (a flipped 2 is no 2).
 */
public final class ImageAugmentation implements BatchTransform {

    private final boolean flip;
    private final int maxShift;

    /**
     * @param flip     flip horizontally with probability 0.5
     * @param maxShift largest shift in pixels (0: none)
     */
    public ImageAugmentation(boolean flip, int maxShift) {
        if (maxShift < 0) throw new IllegalArgumentException("augmentation: shift must be at least 0, got " + maxShift);
        this.flip = flip;
        this.maxShift = maxShift;
    }

    public boolean flip() {
        return flip;
    }

    public int maxShift() {
        return maxShift;
    }

    @Override
    public Tensor apply(Tensor inputs, RandomGenerator rng) {
        if (inputs.rank() != 4) {
            throw new IllegalArgumentException("augmentation: expected images [N, C, H, W], got " + java.util.Arrays.toString(inputs.shape()));
        }
        Tensor in = inputs.contiguous();
        int n = in.shape(0);
        int c = in.shape(1);
        int h = in.shape(2);
        int w = in.shape(3);
        float[] src = in.data();
        int base = in.offset();
        float[] out = new float[n * c * h * w];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            boolean mirror = flip && rng.nextBoolean();
            int dx = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
            int dy = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
            // output column x shows input column x - dx (of the mirrored image when flipped); rows likewise with dy
            int x0 = Math.max(0, dx);
            int x1 = Math.min(w, w + dx);
            for (int ch = 0; ch < c; ch++) {
                int sp = base + (i * c + ch) * plane;
                int dp = (i * c + ch) * plane;
                for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                    int srow = sp + (y - dy) * w;
                    int drow = dp + y * w;
                    if (!mirror) {
                        if (x1 > x0) System.arraycopy(src, srow + x0 - dx, out, drow + x0, x1 - x0);
                    } else {
                        for (int x = x0; x < x1; x++) out[drow + x] = src[srow + (w - 1 - (x - dx))];
                    }
                }
            }
        }
        return Tensor.wrap(out, n, c, h, w);
    }

    @Override
    public String toString() {
        return "ImageAugmentation(flip=" + flip + ", maxShift=" + maxShift + ")";
    }
}
