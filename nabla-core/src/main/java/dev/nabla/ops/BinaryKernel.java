package dev.nabla.ops;

import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The forward loops of the broadcasting binary ops (add, sub, mul, div, maximum, minimum). One loop per op and
 * operand layout, chosen outside the loop, so the JIT compiles each to vector code.
 */
final class BinaryKernel {

    enum Op { ADD, SUB, MUL, DIV, MAX, MIN }

    /** Elements per thread below which a loop stays on the calling thread. */
    static final int GRAIN = 1 << 15;

    private BinaryKernel() {
    }

    static Tensor apply(String name, Op op, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(name, a.shape(), b.shape());
        int n = Shape.size(outShape);
        float[] out = StepArena.floats(n);
        if (n == 0) return Tensor.wrap(out, outShape);
        int rank = outShape.length;
        int[] sa = expandedStrides(a, rank, outShape);
        int[] sb = expandedStrides(b, rank, outShape);
        // merge dimensions that are contiguous in both operands, so the inner loop runs as long as possible
        int[] dims = new int[rank];
        int[] stA = new int[rank];
        int[] stB = new int[rank];
        int m = 0;
        for (int i = 0; i < rank; i++) {
            if (outShape[i] == 1) continue;
            if (m > 0 && stA[m - 1] == sa[i] * outShape[i] && stB[m - 1] == sb[i] * outShape[i]) {
                dims[m - 1] *= outShape[i];
                stA[m - 1] = sa[i];
                stB[m - 1] = sb[i];
            } else {
                dims[m] = outShape[i];
                stA[m] = sa[i];
                stB[m] = sb[i];
                m++;
            }
        }
        float[] ad = a.data();
        float[] bd = b.data();
        int ao = a.offset();
        int bo = b.offset();
        if (m == 1 && ao == 0 && bo == 0 && stA[0] == 1 && stB[0] == 1) {
            // the common case, two whole tensors of one shape: index every array by the loop variable so it vectorises
            Parallel.forRange(n, GRAIN, (s, e) -> runAligned(op, ad, bd, out, s, e));
            return Tensor.wrap(out, outShape);
        }
        if (m <= 1) {
            int len = m == 0 ? 1 : dims[0];
            int strideA = m == 0 ? 0 : stA[0];
            int strideB = m == 0 ? 0 : stB[0];
            Parallel.forRange(len, GRAIN, (s, e) ->
                    run(op, ad, ao + s * strideA, strideA, bd, bo + s * strideB, strideB, out, s, e - s));
            return Tensor.wrap(out, outShape);
        }
        int inner = dims[m - 1];
        int innerA = stA[m - 1];
        int innerB = stB[m - 1];
        int rows = n / inner;
        int outerRank = m - 1;
        Parallel.forRange(rows, Math.max(1, GRAIN / inner), (s, e) -> {
            for (int r = s; r < e; r++) {
                int pa = ao;
                int pb = bo;
                int rest = r;
                for (int d = outerRank - 1; d >= 0; d--) {
                    int idx = rest % dims[d];
                    rest /= dims[d];
                    pa += idx * stA[d];
                    pb += idx * stB[d];
                }
                run(op, ad, pa, innerA, bd, pb, innerB, out, r * inner, inner);
            }
        });
        return Tensor.wrap(out, outShape);
    }

    /** Strides of {@code t} aligned to the output's rank, 0 along dimensions it is broadcast over. */
    private static int[] expandedStrides(Tensor t, int rank, int[] outShape) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int[] result = new int[rank];
        int lead = rank - shape.length;
        for (int i = 0; i < shape.length; i++) {
            result[lead + i] = shape[i] == 1 && outShape[lead + i] != 1 ? 0 : strides[i];
        }
        return result;
    }

    private static void runAligned(Op op, float[] a, float[] b, float[] o, int s, int e) {
        switch (op) {
            case ADD -> { for (int i = s; i < e; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = s; i < e; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = s; i < e; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = s; i < e; i++) o[i] = a[i] / b[i]; }
            case MAX -> { for (int i = s; i < e; i++) o[i] = Math.max(a[i], b[i]); }
            case MIN -> { for (int i = s; i < e; i++) o[i] = Math.min(a[i], b[i]); }
        }
    }

    private static void run(Op op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int len) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] + b[bi + i]; }
                case SUB -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] - b[bi + i]; }
                case MUL -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] * b[bi + i]; }
                case DIV -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] / b[bi + i]; }
                case MAX -> { for (int i = 0; i < len; i++) o[oi + i] = Math.max(a[ai + i], b[bi + i]); }
                case MIN -> { for (int i = 0; i < len; i++) o[oi + i] = Math.min(a[ai + i], b[bi + i]); }
            }
        } else if (sa == 1 && sb == 0) {
            float y = b[bi];
            switch (op) {
                case ADD -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] + y; }
                case SUB -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] - y; }
                case MUL -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] * y; }
                case DIV -> { for (int i = 0; i < len; i++) o[oi + i] = a[ai + i] / y; }
                case MAX -> { for (int i = 0; i < len; i++) o[oi + i] = Math.max(a[ai + i], y); }
                case MIN -> { for (int i = 0; i < len; i++) o[oi + i] = Math.min(a[ai + i], y); }
            }
        } else {
            for (int i = 0, pa = ai, pb = bi; i < len; i++, pa += sa, pb += sb) {
                float x = a[pa];
                float y = b[pb];
                o[oi + i] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    case MAX -> Math.max(x, y);
                    case MIN -> Math.min(x, y);
                };
            }
        }
    }
}
