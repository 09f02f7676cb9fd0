package dev.nabla.data;

/**
 * Resizes one channel of float pixels, separably per axis: area averaging when shrinking (every source pixel counts,
 * so small details do not alias away as with point or bilinear sampling) and bilinear interpolation with pixel
 * centres aligned when enlarging (as PIL and OpenCV do).
 */
final class ImageResizer {

    private ImageResizer() {
    }

    /** Writes {@code src} ({@code sh} rows of {@code sw}) resized to {@code dh} rows of {@code dw} at {@code dst[off]}. */
    static void resize(float[] src, int sw, int sh, float[] dst, int off, int dw, int dh) {
        if (sw == dw && sh == dh) {
            System.arraycopy(src, 0, dst, off, sw * sh);
            return;
        }
        Axis ax = new Axis(sw, dw);
        Axis ay = new Axis(sh, dh);
        float[] tmp = new float[sh * dw];
        for (int r = 0; r < sh; r++) {
            int base = r * sw;
            for (int o = 0; o < dw; o++) {
                float s = 0;
                for (int k = ax.start[o], e = ax.start[o + 1]; k < e; k++) s += ax.weight[k] * src[base + ax.index[k]];
                tmp[r * dw + o] = s;
            }
        }
        for (int o = 0; o < dh; o++) {
            int out = off + o * dw;
            for (int c = 0; c < dw; c++) dst[out + c] = 0;
            for (int k = ay.start[o], e = ay.start[o + 1]; k < e; k++) {
                float w = ay.weight[k];
                int row = ay.index[k] * dw;
                for (int c = 0; c < dw; c++) dst[out + c] += w * tmp[row + c];
            }
        }
    }

    /** For each output position {@code o}: source indices and weights {@code start[o] .. start[o+1]}. */
    private static final class Axis {
        final int[] start;
        final int[] index;
        final float[] weight;

        Axis(int sn, int dn) {
            start = new int[dn + 1];
            double scale = (double) sn / dn;
            int max = dn * ((int) Math.ceil(scale) + 2);
            int[] idx = new int[max];
            float[] w = new float[max];
            int k = 0;
            for (int o = 0; o < dn; o++) {
                start[o] = k;
                if (scale > 1) {
                    double lo = o * scale;
                    double hi = Math.min(sn, (o + 1) * scale);
                    for (int s = (int) Math.floor(lo); s < hi; s++) {
                        double cover = Math.min(hi, s + 1) - Math.max(lo, s);
                        if (cover <= 0) continue;
                        idx[k] = s;
                        w[k++] = (float) (cover / scale);
                    }
                } else {
                    double x = Math.max(0, Math.min(sn - 1, (o + 0.5) * scale - 0.5));
                    int s0 = (int) Math.floor(x);
                    int s1 = Math.min(sn - 1, s0 + 1);
                    float f = (float) (x - s0);
                    idx[k] = s0;
                    w[k++] = 1 - f;
                    if (f > 0) {
                        idx[k] = s1;
                        w[k++] = f;
                    }
                }
            }
            start[dn] = k;
            index = java.util.Arrays.copyOf(idx, k);
            weight = java.util.Arrays.copyOf(w, k);
        }
    }
}
