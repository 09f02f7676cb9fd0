package dev.nabla.tensor;

/** Copies a (possibly strided) tensor's elements into a row-major array. */
public final class StridedCopy {

    private StridedCopy() {
    }

    /** Writes the elements of {@code src} in row-major order to {@code dst} from {@code dstOffset}. */
    public static void copy(Tensor src, float[] dst, int dstOffset) {
        float[] data = src.data();
        int n = src.size();
        if (n == 0) return;
        if (src.isContiguous()) {
            System.arraycopy(data, src.offset(), dst, dstOffset, n);
            return;
        }
        int[] shape = src.shape();
        int[] strides = src.strides();
        int rank = shape.length;
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int rows = n / inner;
        int[] index = new int[rank];
        int srcRow = src.offset();
        int out = dstOffset;
        for (int r = 0; r < rows; r++) {
            if (innerStride == 1) {
                System.arraycopy(data, srcRow, dst, out, inner);
            } else {
                for (int j = 0, p = srcRow; j < inner; j++, p += innerStride) dst[out + j] = data[p];
            }
            out += inner;
            // advance the multi-index over all but the last dimension, like an odometer
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                srcRow += strides[d];
                if (index[d] < shape[d]) break;
                srcRow -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
