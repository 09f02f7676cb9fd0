package dev.nabla.dataset;

import dev.nabla.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one example: each input's per-sample shape, the target's ({@code []} for a class number, {@code [1]}
 * for a regression value) and whether examples carry weights. {@link #stack} turns examples into a {@link Batch}.
 */
public record ExampleSpec(List<int[]> inputShapes, int[] targetShape, boolean weighted) {

    public ExampleSpec {
        if (inputShapes.isEmpty()) throw new IllegalArgumentException("an example needs at least one input");
        List<int[]> copy = new ArrayList<>();
        for (int[] s : inputShapes) copy.add(s.clone());
        inputShapes = List.copyOf(copy);
        targetShape = targetShape.clone();
    }

    /** One input of {@code inputShape}. */
    public static ExampleSpec of(int[] inputShape, int[] targetShape, boolean weighted) {
        return new ExampleSpec(List.of(inputShape), targetShape, weighted);
    }

    /** The examples stacked into one batch, checked against this spec (a wrong length names the example's index). */
    public Batch stack(List<Example> examples) {
        int n = examples.size();
        List<dev.nabla.tensor.Tensor> inputs = new ArrayList<>();
        for (int k = 0; k < inputShapes.size(); k++) {
            int per = Shape.size(inputShapes.get(k));
            float[] data = new float[n * per];
            for (int i = 0; i < n; i++) {
                float[] v = examples.get(i).inputs().get(k);
                if (v.length != per) throw new IllegalArgumentException("example " + i + ": input " + k + " has " + v.length + " values, expected " + per);
                System.arraycopy(v, 0, data, i * per, per);
            }
            inputs.add(dev.nabla.tensor.Tensor.wrap(data, prepend(n, inputShapes.get(k))));
        }
        int perTarget = Shape.size(targetShape);
        float[] y = new float[n * perTarget];
        float[] w = weighted ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            if (e.target().length != perTarget) throw new IllegalArgumentException("example " + i + ": target has " + e.target().length + " values, expected " + perTarget);
            System.arraycopy(e.target(), 0, y, i * perTarget, perTarget);
            if (w != null) w[i] = e.weight();
        }
        return new Batch(inputs, dev.nabla.tensor.Tensor.wrap(y, prepend(n, targetShape)), w == null ? null : dev.nabla.tensor.Tensor.wrap(w, n));
    }

    static int[] prepend(int n, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
