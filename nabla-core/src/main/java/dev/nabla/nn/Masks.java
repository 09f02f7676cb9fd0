package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * Arithmetic on padding masks ({@code [batch, time]}, 1 for a real step, 0 for padding; see {@link Tensor#mask()}),
 * for layers that create, combine or apply them.
 */
public final class Masks {

    private Masks() {
    }

    /** 1 where {@code ids [batch, time]} differs from {@code paddingId}, else 0. */
    public static Tensor notEqual(Tensor ids, float paddingId) {
        float[] v = ids.toArray();
        float[] m = new float[v.length];
        for (int i = 0; i < v.length; i++) m[i] = v[i] == paddingId ? 0f : 1f;
        return Tensor.wrap(m, ids.shape(0), ids.shape(1));
    }

    /** 1 for each step of {@code x [batch, time, ...]} that has any value other than {@code value}, else 0. */
    public static Tensor anyNotEqual(Tensor x, float value) {
        int batch = x.shape(0);
        int time = x.shape(1);
        float[] v = x.toArray();
        int per = time == 0 ? 0 : v.length / (batch * time);
        float[] m = new float[batch * time];
        for (int s = 0; s < m.length; s++) {
            for (int j = s * per, end = j + per; j < end; j++) {
                if (v[j] != value) {
                    m[s] = 1f;
                    break;
                }
            }
        }
        return Tensor.wrap(m, batch, time);
    }

    /** The mask as {@code [batch, time, 1, ...]} of the given rank, to broadcast against a sequence tensor. */
    public static Tensor expand(Tensor mask, int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = mask.shape(0);
        shape[1] = mask.shape(1);
        return mask.reshape(shape);
    }

    /** Steps real in every given mask (nulls ignored); null when all are null. */
    public static Tensor and(List<Tensor> masks) {
        Tensor out = null;
        for (Tensor m : masks) if (m != null) out = out == null ? m : out.mul(m);
        return out;
    }

    /** The masks of inputs joined along time ({@code steps[i]} steps each; an input without a mask is all real). */
    public static Tensor concat(List<Tensor> masks, int batch, int[] steps) {
        Tensor[] parts = new Tensor[masks.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = masks.get(i) != null ? masks.get(i) : Tensor.ones(batch, steps[i]);
        }
        return Tensor.concat(1, parts);
    }
}
