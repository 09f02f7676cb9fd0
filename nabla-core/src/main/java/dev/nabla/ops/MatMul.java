package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Gemm;
import dev.nabla.kernel.Kernels;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;

/**
 * Matrix product of the last two dimensions, batched over leading dimensions that broadcast (like
 * {@code torch.matmul} for inputs of rank 2 and more). Transposed views go to the GEMM kernel as transposed operands,
 * without a copy, so the backward products {@code g @ b^T} and {@code a^T @ g} cost no extra memory traffic.
 */
public final class MatMul extends Function {

    private Tensor a;
    private Tensor b;

    private MatMul(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        int[] sa = a.shape();
        int[] sb = b.shape();
        if (sa.length < 2 || sb.length < 2) {
            throw new ShapeException("matmul: needs tensors of rank 2 or more, got " + Shape.str(sa) + " and " + Shape.str(sb));
        }
        int m = sa[sa.length - 2];
        int k = sa[sa.length - 1];
        int n = sb[sb.length - 1];
        if (sb[sb.length - 2] != k) {
            throw new ShapeException("matmul: shapes " + Shape.str(sa) + " and " + Shape.str(sb)
                    + " do not fit: " + k + " columns against " + sb[sb.length - 2] + " rows");
        }
        int[] batchA = Arrays.copyOf(sa, sa.length - 2);
        int[] batchB = Arrays.copyOf(sb, sb.length - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] out = StepArena.floats(Shape.size(outShape));
        multiply(a, b, batch, m, n, k, out);
        Tensor result = Tensor.wrap(out, outShape);
        return needsGrad(a, b) ? new MatMul(a.detach(), b.detach()).record(result, a, b) : result;
    }

    private static void multiply(Tensor a, Tensor b, int[] batch, int m, int n, int k, float[] out) {
        Gemm gemm = Kernels.gemm();
        Operand opB = Operand.of(b);
        if (b.rank() == 2 && Operand.foldsBatchIntoRows(a)) {
            // [..., m, k] @ [k, n] is one [(...*m), k] @ [k, n] product: one large GEMM instead of many small ones
            int rows = a.size() / Math.max(1, k);
            if (rows == 0 || n == 0) return;
            gemm.sgemm(false, opB.transposed, rows, n, k, 1f, a.data(), a.offset(), Math.max(1, k),
                    opB.data, opB.offset, opB.ld, 0f, out, 0, n);
            return;
        }
        Operand opA = Operand.of(a);
        int batches = Shape.size(batch);
        int[] stridesA = Operand.batchStrides(opA.source, batch);
        int[] stridesB = Operand.batchStrides(opB.source, batch);
        int[] index = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int offA = opA.offset;
            int offB = opB.offset;
            for (int d = 0; d < batch.length; d++) {
                offA += index[d] * stridesA[d];
                offB += index[d] * stridesB[d];
            }
            if (m > 0 && n > 0) {
                gemm.sgemm(opA.transposed, opB.transposed, m, n, k, 1f, opA.data, offA, opA.ld, opB.data, offB, opB.ld,
                        0f, out, t * m * n, n);
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++index[d] < batch[d]) break;
                index[d] = 0;
            }
        }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gradA = needsInputGrad(0) ? g.matmul(b.transpose(-1, -2)).sumToShape(a.shape()) : null;
        Tensor gradB = needsInputGrad(1) ? a.transpose(-1, -2).matmul(g).sumToShape(b.shape()) : null;
        return new Tensor[]{gradA, gradB};
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }

    /** A matrix operand as the GEMM kernel takes it: array, offset, leading dimension, and whether transposed. */
    private static final class Operand {
        final Tensor source;
        final float[] data;
        final int offset;
        final int ld;
        final boolean transposed;

        private Operand(Tensor source, boolean transposed, int ld) {
            this.source = source;
            this.data = source.data();
            this.offset = source.offset();
            this.ld = ld;
            this.transposed = transposed;
        }

        static Operand of(Tensor t) {
            int rows = t.shape(-2);
            int cols = t.shape(-1);
            int rowStride = t.stride(-2);
            int colStride = t.stride(-1);
            if ((colStride == 1 || cols == 1) && rowStride >= Math.max(1, cols)) {
                return new Operand(t, false, Math.max(1, rows == 1 ? cols : rowStride));
            }
            if ((rowStride == 1 || rows == 1) && colStride >= Math.max(1, rows)) {
                return new Operand(t, true, Math.max(1, cols == 1 ? rows : colStride));
            }
            return new Operand(t.materialize(true), false, Math.max(1, cols));
        }

        /** A contiguous, untransposed {@code [..., m, k]} tensor can be read as one {@code (...*m) x k} matrix. */
        static boolean foldsBatchIntoRows(Tensor t) {
            return t.isContiguous();
        }

        /** Strides to step through {@code t}'s matrices for each index of the broadcast batch shape (0 where broadcast). */
        static int[] batchStrides(Tensor t, int[] batch) {
            int[] shape = t.shape();
            int[] strides = t.strides();
            int own = shape.length - 2;
            int[] result = new int[batch.length];
            int lead = batch.length - own;
            for (int i = 0; i < own; i++) result[lead + i] = shape[i] == 1 ? 0 : strides[i];
            return result;
        }
    }
}
