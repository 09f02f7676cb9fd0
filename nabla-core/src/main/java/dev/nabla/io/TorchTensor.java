package dev.nabla.io;

import dev.nabla.tensor.Tensor;

import java.util.List;
import java.util.function.Consumer;

/**
 * One tensor of a PyTorch {@code state_dict} as a Nabla layer reads it: its name relative to the module's prefix
 * ({@code "weight"}, {@code "self_attn.in_proj_weight"}), the shape PyTorch gives it, what it fills in Nabla (for
 * messages: {@code "weight [in, out], transposed"}), and how its values (row-major, in PyTorch's layout) are written
 * into the layer's tensors.
 *
 * @param name   the key relative to the module's prefix
 * @param shape  PyTorch's shape of the tensor
 * @param target the Nabla tensors it fills, for messages and the import report
 * @param assign writes PyTorch's values into the layer's tensors; called only after every check has passed
 */
public record TorchTensor(String name, int[] shape, String target, Consumer<float[]> assign) {

    public TorchTensor {
        shape = shape.clone();
    }

    /** A tensor stored alike on both sides (same shape, same order), under Nabla's name {@code nablaName}. */
    public static TorchTensor same(String name, Tensor t, String nablaName) {
        return new TorchTensor(name, t.shape(), nablaName, v -> fill(t, v));
    }

    /**
     * A matrix PyTorch stores as {@code [out, in]} ({@code nn.Linear.weight}) and Nabla as {@code [in, out]} (the
     * dense kernel): the transpose of {@code t}'s shape.
     */
    public static TorchTensor transposed(String name, Tensor t, String nablaName) {
        int[] s = t.shape();
        if (s.length != 2) throw new IllegalArgumentException(nablaName + ": transposed needs a matrix");
        return new TorchTensor(name, new int[]{s[1], s[0]}, nablaName + " " + dev.nabla.tensor.Shape.str(s) + ", transposed",
                v -> fill(t, transpose(v, s[1], s[0])));
    }

    /**
     * PyTorch's rows stacked from several Nabla matrices, each the transpose of a block of rows ({@code in_proj_weight
     * [3E, E]} is the transposes of {@code query_weight}, {@code key_weight}, {@code value_weight}, each {@code [E, E]}).
     */
    public static TorchTensor stackedTransposed(String name, List<Tensor> parts, String nablaNames) {
        int cols = parts.get(0).shape()[0];
        int rows = 0;
        for (Tensor p : parts) {
            if (p.rank() != 2 || p.shape()[0] != cols) throw new IllegalArgumentException(nablaNames + ": blocks must share the input size");
            rows += p.shape()[1];
        }
        return new TorchTensor(name, new int[]{rows, cols}, nablaNames + ", each transposed", v -> {
            int at = 0;
            for (Tensor p : parts) {
                int r = p.shape()[1];
                float[] block = new float[r * cols];
                System.arraycopy(v, at, block, 0, block.length);
                fill(p, transpose(block, r, cols));
                at += block.length;
            }
        });
    }

    /** PyTorch's vector as the concatenation of several Nabla vectors ({@code in_proj_bias}). */
    public static TorchTensor concatenated(String name, List<Tensor> parts, String nablaNames) {
        int n = 0;
        for (Tensor p : parts) n += p.size();
        return new TorchTensor(name, new int[]{n}, nablaNames, v -> {
            int at = 0;
            for (Tensor p : parts) {
                float[] part = new float[p.size()];
                System.arraycopy(v, at, part, 0, part.length);
                fill(p, part);
                at += part.length;
            }
        });
    }

    /** This tensor under a prefix ({@code "self_attn."}), for a layer made of others. */
    public TorchTensor under(String prefix, String nablaPrefix) {
        return new TorchTensor(prefix + name, shape, nablaPrefix + target, assign);
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = v[r * cols + c];
        }
        return t;
    }

    private static void fill(Tensor t, float[] v) {
        if (!t.isContiguous() || t.size() != v.length) throw new IllegalStateException("cannot fill a " + t.size() + "-element view");
        System.arraycopy(v, 0, t.data(), t.offset(), v.length);
        dev.nabla.kernel.ParameterArrays.modified();
    }
}
